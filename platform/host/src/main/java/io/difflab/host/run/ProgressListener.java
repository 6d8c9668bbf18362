package io.difflab.host.run;

import io.difflab.api.Progress;
import io.difflab.kit.train.TrainingListener;

import java.util.Map;

/** Shows training as a progress bar: steps, rate, ETA and the latest averaged loss. */
public final class ProgressListener implements TrainingListener {

    private final Progress.Factory factory;
    private final String label;
    private Progress bar;
    private String status = "";

    public ProgressListener(Progress.Factory factory, String label) {
        this.factory = factory;
        this.label = label;
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        if (startStep >= totalSteps) {
            return; // a finished training restored: nothing to show
        }
        // a resumed training counts only its own steps, so that the rate and the ETA are this process's
        bar = factory.start(startStep > 0 ? label + " (from step " + startStep + ")" : label,
                totalSteps - startStep, "step");
    }

    @Override
    public void onStep(long step, Map<String, Double> metrics) {
        if (bar != null) {
            bar.step(1, status);
        }
    }

    @Override
    public void onReport(long step, Map<String, Double> metrics) {
        Double loss = metrics.get("train.loss");
        status = loss == null ? "" : String.format("loss %.4f", loss);
    }

    @Override
    public void onEnd(long step, Throwable failure) {
        if (bar != null) {
            bar.close();
        }
    }
}
