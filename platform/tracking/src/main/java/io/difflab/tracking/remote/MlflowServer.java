package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.SystemTags;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A tracking server, through the official Java client {@code org.mlflow:mlflow-client} for the
 * REST API and {@link ArtifactUploader} for artifacts. Every failure becomes a
 * {@link TrackingServerException} that says whether a retry may succeed, scrubbed of secrets.
 */
public final class MlflowServer implements AutoCloseable {

    private final ServerCredentials credentials;
    private final Redactor redactor;
    private final MlflowClient client;
    private final ArtifactUploader uploader;

    /** How long a request may wait for a connection and for an answer, by default. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public MlflowServer(ServerCredentials credentials, Redactor redactor) {
        this(credentials, redactor, REQUEST_TIMEOUT);
    }

    /** @param timeout how long a request waits for its answer before it counts as failed (retryable) */
    public MlflowServer(ServerCredentials credentials, Redactor redactor, Duration timeout) {
        this.credentials = credentials;
        this.redactor = redactor.with(credentials.authorization().orElse(null));
        Duration connect = timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT;
        this.client = MlflowClients.create(credentials.provider(), connect, timeout);
        this.uploader = new ArtifactUploader(credentials, connect, timeout);
    }

    /** The server's URI, without credentials. */
    public String uri() {
        return credentials.host();
    }

    /** The id of the experiment named {@code name}, created when absent. */
    public String experimentId(String name) {
        Optional<Service.Experiment> found = findExperiment(name);
        if (found.isPresent()) {
            return found.get().getExperimentId();
        }
        try {
            return call("create experiment " + name, () -> client.createExperiment(name));
        } catch (TrackingServerException e) {
            if (e.status() == 400) { // RESOURCE_ALREADY_EXISTS: another process created it meanwhile
                return findExperiment(name).orElseThrow(() -> e).getExperimentId();
            }
            throw e;
        }
    }

    /**
     * The active experiment named {@code name}: searched by name (one request; the client's
     * get-by-name repeats its request three times when the answer is "not found").
     */
    private Optional<Service.Experiment> findExperiment(String name) {
        if (name.contains("'") || name.contains("\\")) {
            return call("find experiment " + name, () -> client.getExperimentByName(name));
        }
        return call("find experiment " + name, () -> client.searchExperiments("name = '" + name + "'")
                .getItems().stream().filter(e -> e.getName().equals(name)).findFirst());
    }

    /** The server's copy of a local run, found by its {@code difflab.local_run_id} tag. */
    public Optional<Service.RunInfo> findByLocalRunId(String experimentId, String localRunId) {
        String filter = "tags.`" + SystemTags.LOCAL_RUN_ID + "` = '" + localRunId + "'";
        List<Service.Run> runs = call("search runs", () -> client.searchRuns(List.of(experimentId), filter,
                Service.ViewType.ACTIVE_ONLY, 10).getItems());
        return runs.stream().map(Service.Run::getInfo).findFirst();
    }

    /** The server's copy of a local run, in any active experiment. */
    public Optional<Service.Run> findByLocalRunId(String localRunId) {
        if (!localRunId.matches("[0-9a-fA-F]{1,64}")) {
            return Optional.empty();
        }
        List<String> ids = experiments().stream().map(Service.Experiment::getExperimentId).toList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        String filter = "tags.`" + SystemTags.LOCAL_RUN_ID + "` = '" + localRunId + "'";
        return call("search runs", () -> client.searchRuns(ids, filter, Service.ViewType.ACTIVE_ONLY, 10).getItems())
                .stream().findFirst();
    }

    public Service.RunInfo createRun(Service.CreateRun request) {
        return call("create run", () -> client.createRun(request));
    }

    public void logBatch(String runId, List<Service.Metric> metrics, List<Service.Param> params,
                         List<Service.RunTag> tags) {
        call("log batch", () -> {
            client.logBatch(runId, metrics, params, tags);
            return null;
        });
    }

    /** Sets the run's status; terminal statuses with their end time (MLflow's {@code runs/update}). */
    public void updateStatus(String runId, RunStatus status, Long endTime) {
        call("update run", () -> {
            if (status == RunStatus.RUNNING || status == RunStatus.SCHEDULED || endTime == null) {
                client.sendPost("runs/update", "{\"run_id\": \"" + runId + "\", \"run_uuid\": \"" + runId
                        + "\", \"status\": \"" + status.name() + "\"}");
            } else {
                client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTime);
            }
            return null;
        });
    }

    public List<Service.Metric> metricHistory(String runId, String key) {
        return call("metric history", () -> client.getMetricHistory(runId, key));
    }

    public Service.Run run(String runId) {
        return call("get run " + runId, () -> client.getRun(runId));
    }

    /** Every active experiment. */
    public List<Service.Experiment> experiments() {
        return call("search experiments", () -> all(client.searchExperiments()));
    }

    /** Every active run of an experiment. */
    public List<Service.Run> runs(String experimentId) {
        return call("search runs", () -> all(client.searchRuns(List.of(experimentId), null,
                Service.ViewType.ACTIVE_ONLY, 1000)));
    }

    public void uploadArtifact(String artifactRoot, String relativePath, Path file) {
        try {
            uploader.upload(artifactRoot, relativePath, file);
        } catch (TrackingServerException e) {
            throw new TrackingServerException(redactor.scrub(e.getMessage()), e.retryable(), e.status(), null);
        }
    }

    /** The path under the artifact proxy of a run's artifact root (see {@link ArtifactUploader#artifactRoot}). */
    public static String artifactRoot(String artifactUri, String experimentId, String runId) {
        return ArtifactUploader.artifactRoot(artifactUri, experimentId, runId);
    }

    /** Downloads {@code relativePath} under {@code artifactRoot} to {@code target}; false when the server has no such file. */
    public boolean downloadArtifact(String artifactRoot, String relativePath, Path target) {
        try {
            return uploader.download(artifactRoot, relativePath, target);
        } catch (TrackingServerException e) {
            throw new TrackingServerException(redactor.scrub(e.getMessage()), e.retryable(), e.status(), null);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static <T> List<T> all(Page<T> first) {
        List<T> items = new ArrayList<>();
        Page<T> page = first;
        while (true) {
            page.getItems().forEach(items::add);
            if (!page.hasNextPage()) {
                return items;
            }
            page = page.getNextPage();
        }
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (MlflowHttpException e) {
            throw new TrackingServerException(redactor.scrub(what + " at " + uri() + " failed: HTTP "
                    + e.getStatusCode() + " " + ServerAnswers.brief(e.getBodyMessage())),
                    TrackingServerException.retryableStatus(e.getStatusCode()), e.getStatusCode(), null);
        } catch (MlflowClientException e) {
            throw new TrackingServerException(redactor.scrub(what + " at " + uri() + " failed: "
                    + NetworkErrors.describe(e)), true, 0, e);
        } catch (RuntimeException e) {
            throw new TrackingServerException(redactor.scrub(what + " at " + uri() + " failed: "
                    + NetworkErrors.describe(e)), true, 0, e);
        }
    }
}
