package io.difflab.tracking.store;

import io.difflab.tracking.Redactor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A training stand-in run in a child JVM by {@link CrashRecoveryTest}: it logs metrics, rewrites
 * tags and adds params as fast as it can until it is killed.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        LocalTracker tracker = new LocalTracker(new FileStore(Path.of(args[0])), new Redactor(List.of()), Path.of(args[0]));
        LocalRun run = tracker.startRun("crash", "victim", null, Map.of());
        System.out.println(run.id());
        System.out.flush();
        for (long step = 0; ; step++) {
            run.logMetrics(Map.of("train.loss", 1.0 / (step + 1), "train.lr", 1e-4), step);
            run.setTags(Map.of("progress", "step " + step));
            if (step % 10 == 0) {
                run.logParams(Map.of("p" + step, Long.toString(step)));
            }
        }
    }
}
