package io.difflab.datasets.fashionmnist;

import io.difflab.kit.train.SharedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Downloads the release's {@code .gz} files into a folder, keeping a file only when its MD5 is the
 * published one; written through a temporary file and an atomic rename, so the folder never holds
 * a partial or unverified file.
 */
final class UpstreamDownload {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamDownload.class);

    private final List<URI> mirrors;
    private final Map<String, String> expectedMd5;
    private HttpClient http;

    /** Downloads from {@code mirrors} (tried in order), accepting a file only when its MD5 is in {@code expectedMd5}. */
    UpstreamDownload(List<URI> mirrors, Map<String, String> expectedMd5) {
        this.mirrors = List.copyOf(mirrors);
        this.expectedMd5 = Map.copyOf(expectedMd5);
    }

    /** The release's own files from the README's locations. */
    static UpstreamDownload upstream() {
        return new UpstreamDownload(FashionMnistRelease.MIRRORS, FashionMnistRelease.GZIP_MD5);
    }

    /** The locations tried, for messages. */
    List<URI> mirrors() {
        return mirrors;
    }

    /**
     * Fetches {@code fileName} into {@code folder}, trying each mirror in turn.
     *
     * @return the verified file
     * @throws IOException when no mirror gave a verified copy; its message lists each mirror's reason
     */
    Path fetch(String fileName, Path folder) throws IOException {
        String md5 = expectedMd5.get(fileName);
        if (md5 == null) {
            throw new IllegalArgumentException("not a file of the release: " + fileName);
        }
        Files.createDirectories(folder);
        List<String> reasons = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(fileName);
            try {
                return fetchOne(uri, md5, folder.resolve(fileName));
            } catch (IOException e) {
                reasons.add(uri + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            }
        }
        throw new IOException(String.join("; ", reasons));
    }

    private Path fetchOne(URI uri, String md5, Path target) throws IOException, InterruptedException {
        LOG.info("downloading {} to {}", uri, target.getParent());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        Path part = SharedFiles.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            MessageDigest digest = md5Digest();
            try (InputStream in = new DigestInputStream(body, digest); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(md5)) {
                throw new IOException("the downloaded file's MD5 is " + actual + ", the published one is " + md5
                        + " (not kept)");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** The HTTP client, made on first use: it starts a thread, which a load that finds its files never needs. */
    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    /** The reason in a few words; the JDK's HTTP client leaves some messages empty (e.g. an unknown host). */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        String name = e.getClass().getSimpleName();
        return e.getCause() == null ? name : name + " (" + describe(e.getCause()) + ")";
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
