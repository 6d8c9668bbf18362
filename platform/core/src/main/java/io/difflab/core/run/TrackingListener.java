package io.difflab.core.run;

import io.difflab.api.tracking.TrackedRun;
import io.difflab.core.train.Checkpoint;
import io.difflab.core.train.TrainingListener;

import java.util.Map;

/** Sends training reports to the tracker: the averaged metrics every {@code log_every} steps, keyed by step. */
public final class TrackingListener implements TrainingListener {

    private final TrackedRun run;

    public TrackingListener(TrackedRun run) {
        this.run = run;
    }

    @Override
    public void onReport(long step, Map<String, Double> metrics) {
        run.logMetrics(metrics, step);
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
        run.setTags(Map.of("difflab.last_checkpoint", checkpoint.dir().getFileName().toString()));
    }
}
