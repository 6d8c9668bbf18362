package io.difflab.api.tracking;

import java.nio.file.Path;
import java.util.Map;

/** One run being recorded. Calls never throw on a tracking outage: events are kept and sent later. */
public interface TrackedRun {

    /** The run id (MLflow's run_id). */
    String id();

    /** The experiment id. */
    String experimentId();

    void logParams(Map<String, String> params);

    void logMetric(String key, double value, long step);

    /** Several metrics at one step. */
    default void logMetrics(Map<String, Double> metrics, long step) {
        metrics.forEach((k, v) -> logMetric(k, v, step));
    }

    void setTags(Map<String, String> tags);

    /** Records a file (or a folder's files) under {@code artifactPath} ("" for the root). */
    void logArtifact(Path file, String artifactPath);

    /** Ends the run with {@code status}. */
    void end(RunStatus status);

    /**
     * For a run reopened by {@link Tracker#resumeRun}: the last step recorded for each metric before it
     * was reopened (a resumed training repeats the steps after its last checkpoint, which the run may
     * already hold); empty for a new run.
     */
    default Map<String, Long> recordedSteps() {
        return Map.of();
    }
}
