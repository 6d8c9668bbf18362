package io.difflab.host.run;

import io.difflab.api.Progress;
import io.difflab.kit.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records when each step ends, as a training listener and as a progress bar, so that a benchmark
 * times the real training loop and the real sampler rather than a copy of them.
 */
final class StepTimer implements TrainingListener, Progress.Factory {

    private final List<Long> ends = new ArrayList<>();

    @Override
    public void onStep(long step, Map<String, Double> metrics) {
        ends.add(System.nanoTime());
    }

    @Override
    public Progress start(String label, long total, String unit) {
        ends.clear();
        ends.add(System.nanoTime());
        return new Progress() {
            @Override
            public void step(long n, String status) {
                ends.add(System.nanoTime());
            }

            @Override
            public void close() {
            }
        };
    }

    /** Starts timing a training loop. */
    @Override
    public void onStart(long startStep, long totalSteps) {
        ends.clear();
        ends.add(System.nanoTime());
    }

    /** Mean milliseconds per step over the last {@code count} steps (earlier ones are warm-up). */
    double meanMillis(int count) {
        int n = Math.min(count, ends.size() - 1);
        if (n <= 0) {
            return Double.NaN;
        }
        return (ends.get(ends.size() - 1) - ends.get(ends.size() - 1 - n)) / 1e6 / n;
    }
}
