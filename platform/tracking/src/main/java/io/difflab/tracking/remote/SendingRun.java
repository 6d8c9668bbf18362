package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.tracking.store.LocalRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * A run recorded in the local store (the journal) and sent to the server by the background
 * sender. Logging only writes local files; ending waits a bounded time for the server to have
 * everything, then leaves the rest to the sender or to {@code difflab sync}.
 */
final class SendingRun implements TrackedRun {

    private static final Logger LOG = LoggerFactory.getLogger(SendingRun.class);

    private final LocalRun local;
    private final BackgroundSender sender;
    private final SenderSettings settings;
    private final String serverUri;

    SendingRun(LocalRun local, BackgroundSender sender, SenderSettings settings, String serverUri) {
        this.local = local;
        this.sender = sender;
        this.settings = settings;
        this.serverUri = serverUri;
    }

    @Override
    public String id() {
        return local.id();
    }

    @Override
    public String experimentId() {
        return local.experimentId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        local.logParams(params);
    }

    @Override
    public void logMetric(String key, double value, long step) {
        local.logMetric(key, value, step);
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        local.logMetrics(metrics, step);
    }

    @Override
    public void setTags(Map<String, String> tags) {
        local.setTags(tags);
    }

    @Override
    public void logArtifact(Path file, String artifactPath) {
        local.logArtifact(file, artifactPath);
    }

    @Override
    public Map<String, Long> recordedSteps() {
        return local.recordedSteps();
    }

    @Override
    public void end(RunStatus status) {
        local.end(status);
        if (sender.awaitComplete(id(), settings.flushTimeout())) {
            LOG.info("run {} ({}) is complete on {}", id(), status, serverUri);
        } else {
            LOG.warn("run {} ({}) is not yet complete on {}: it is kept in {} and sent when the server "
                    + "answers, or by `difflab sync --to {}`", id(), status, serverUri,
                    local.files().dir(), serverUri);
        }
    }
}
