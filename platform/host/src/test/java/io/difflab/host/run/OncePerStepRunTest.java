package io.difflab.host.run;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A resumed run does not record again the steps its training repeats; a new run records everything. */
class OncePerStepRunTest {

    /** Records the points it is given, and holds {@code held} (the last step per key) from before. */
    private static final class Recording implements TrackedRun {
        final List<String> points = new ArrayList<>();
        final Map<String, Long> held;

        Recording(Map<String, Long> held) {
            this.held = held;
        }

        @Override public String id() { return "r"; }
        @Override public String experimentId() { return "0"; }
        @Override public void logParams(Map<String, String> params) { }
        @Override public void logMetric(String key, double value, long step) { points.add(key + "@" + step); }
        @Override public void logMetrics(Map<String, Double> metrics, long step) {
            new TreeMap<>(metrics).forEach((k, v) -> logMetric(k, v, step));
        }
        @Override public void setTags(Map<String, String> tags) { }
        @Override public void logArtifact(Path file, String artifactPath) { }
        @Override public void end(RunStatus status) { }
        @Override public Map<String, Long> recordedSteps() { return held; }
    }

    @Test
    void stepsUpToTheLastRecordedOneOfEachKeyAreNotRecordedAgain() {
        // killed after step 7: train.loss reported at 3 and 6, eval.fd at 6, sample.* not yet
        Recording inner = new Recording(Map.of("train.loss", 6L, "eval.fd", 6L));
        TrackedRun run = OncePerStepRun.of(inner);
        for (long step = 5; step <= 9; step++) { // resumed from the step-4 checkpoint
            if (step % 3 == 0) {
                run.logMetrics(Map.of("train.loss", 1.0, "eval.fd", 2.0), step);
            }
        }
        run.logMetric("sample.nfe", 10, 9);
        assertEquals(List.of("eval.fd@9", "train.loss@9", "sample.nfe@9"), inner.points);
    }

    @Test
    void aNewRunIsRecordedAsItIs() {
        Recording fresh = new Recording(Map.of());
        assertSame(fresh, OncePerStepRun.of(fresh));
    }
}
