package io.difflab.host.run;

import io.difflab.api.tracking.TrackedRun;
import io.difflab.kit.train.Checkpoint;
import io.difflab.kit.train.TrainingListener;

import java.util.Map;

/** Sends training reports to the tracker: the averaged metrics every {@code log_every} steps, keyed by step. */
public final class TrackingListener implements TrainingListener {

    private final TrackedRun run;
    private final String prefix;

    /** @param prefix put before every key (e.g. {@code classifier.}); "" for the estimator */
    public TrackingListener(TrackedRun run, String prefix) {
        this.run = run;
        this.prefix = prefix;
    }

    @Override
    public void onReport(long step, Map<String, Double> metrics) {
        Map<String, Double> keyed = new java.util.LinkedHashMap<>();
        metrics.forEach((k, v) -> keyed.put(prefix + k, v));
        run.logMetrics(keyed, step);
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
        run.setTags(Map.of("difflab." + prefix + "last_checkpoint", checkpoint.dir().getFileName().toString()));
    }
}
