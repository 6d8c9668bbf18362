package io.difflab.host.run;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumed run as the pipeline records into it: a resumed training repeats the steps after its
 * last checkpoint (and the sampling and evaluation a kill interrupted), whose points the run may
 * already hold, so a metric point at a step no later than the last one recorded for its key before
 * the resume is not recorded again. The repeated steps compute the same values (the training is a
 * function of the seed and the step, and report averages are checkpointed), so nothing is lost.
 */
final class OncePerStepRun implements TrackedRun {

    private final TrackedRun run;
    private final Map<String, Long> recorded;

    private OncePerStepRun(TrackedRun run, Map<String, Long> recorded) {
        this.run = run;
        this.recorded = recorded;
    }

    /** {@code run} recording only steps after those it held when it was reopened. */
    static TrackedRun of(TrackedRun run) {
        Map<String, Long> recorded = run.recordedSteps();
        return recorded.isEmpty() ? run : new OncePerStepRun(run, Map.copyOf(recorded));
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        Map<String, Double> fresh = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (step > recorded.getOrDefault(k, Long.MIN_VALUE)) {
                fresh.put(k, v);
            }
        });
        if (!fresh.isEmpty()) {
            run.logMetrics(fresh, step);
        }
    }

    @Override
    public void logMetric(String key, double value, long step) {
        logMetrics(Map.of(key, value), step);
    }

    @Override
    public String id() {
        return run.id();
    }

    @Override
    public String experimentId() {
        return run.experimentId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        run.logParams(params);
    }

    @Override
    public void setTags(Map<String, String> tags) {
        run.setTags(tags);
    }

    @Override
    public void logArtifact(Path file, String artifactPath) {
        run.logArtifact(file, artifactPath);
    }

    @Override
    public void end(RunStatus status) {
        run.end(status);
    }

    @Override
    public Map<String, Long> recordedSteps() {
        return recorded;
    }
}
