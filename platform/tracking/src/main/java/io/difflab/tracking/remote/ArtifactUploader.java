package io.difflab.tracking.remote;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Uploads (and downloads) run artifacts through the tracking server's artifact proxy
 * ({@code PUT <server>/api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>},
 * what {@code mlflow server --serve-artifacts} offers) with {@code java.net.http}: the official
 * Java client would shell out to a Python MLflow installation instead.
 */
final class ArtifactUploader {

    static final String PROXY_PATH = "/api/2.0/mlflow-artifacts/artifacts/";
    /** An upload may take this many times the request timeout (artifacts are larger than requests). */
    private static final int UPLOAD_FACTOR = 10;

    private final ServerCredentials credentials;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private HttpClient http;

    ArtifactUploader(ServerCredentials credentials, Duration connectTimeout, Duration timeout) {
        this.credentials = credentials;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = timeout.multipliedBy(UPLOAD_FACTOR);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /**
     * The path under the proxy of a run's artifact root: taken from its {@code artifact_uri}
     * when that is {@code mlflow-artifacts:/...}, else {@code <experiment>/<run>/artifacts}.
     */
    static String artifactRoot(String artifactUri, String experimentId, String runId) {
        if (artifactUri != null && artifactUri.startsWith("mlflow-artifacts:")) {
            String path = URI.create(artifactUri).getPath();
            if (path != null && !path.isBlank()) {
                return path.replaceAll("^/+", "").replaceAll("/+$", "");
            }
        }
        return experimentId + "/" + runId + "/artifacts";
    }

    /** Uploads {@code file} as {@code relativePath} under {@code artifactRoot}. */
    void upload(String artifactRoot, String relativePath, Path file) {
        URI uri = URI.create(credentials.host() + PROXY_PATH + encodePath(artifactRoot + "/" + relativePath));
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
        } catch (FileNotFoundException e) {
            throw new TrackingServerException("artifact " + file + " is gone", false, 0, null);
        }
        credentials.authorization().ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response;
        try {
            response = http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TrackingServerException("cannot upload artifact " + relativePath + " to "
                    + credentials.host() + ": " + NetworkErrors.describe(e), true, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingServerException("artifact upload interrupted", true, 0, null);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new TrackingServerException("artifact upload of " + relativePath + " answered HTTP " + status
                    + ": " + ServerAnswers.brief(response.body()), TrackingServerException.retryableStatus(status), status,
                    null);
        }
    }

    /** Downloads {@code relativePath} under {@code artifactRoot} (a GET through the proxy); false on HTTP 404. */
    boolean download(String artifactRoot, String relativePath, Path target) {
        URI uri = URI.create(credentials.host() + PROXY_PATH + encodePath(artifactRoot + "/" + relativePath));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        credentials.authorization().ifPresent(a -> request.header("Authorization", a));
        HttpResponse<Path> response;
        try {
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            response = http().send(request.build(), HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() == 404) {
                java.nio.file.Files.deleteIfExists(partial);
                return false;
            }
            if (response.statusCode() < 200 || response.statusCode() > 299) {
                java.nio.file.Files.deleteIfExists(partial);
                throw new TrackingServerException("artifact download of " + relativePath + " answered HTTP "
                        + response.statusCode(), TrackingServerException.retryableStatus(response.statusCode()),
                        response.statusCode(), null);
            }
            java.nio.file.Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new TrackingServerException("cannot download artifact " + relativePath + " from "
                    + credentials.host() + ": " + NetworkErrors.describe(e), true, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingServerException("artifact download interrupted", true, 0, null);
        }
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
