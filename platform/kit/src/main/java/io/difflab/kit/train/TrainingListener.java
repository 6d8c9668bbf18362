package io.difflab.kit.train;

import java.util.Map;

/**
 * Receives training progress (as DJL's TrainingListener does): the progress bar and the MLflow
 * logging are each one listener, so the trainer knows neither.
 */
public interface TrainingListener {

    /** Training starts at {@code startStep} (more than 0 when resumed) of {@code totalSteps}. */
    default void onStart(long startStep, long totalSteps) {
    }

    /** After every step: {@code step} steps are done; {@code metrics} holds {@code train.loss} etc. */
    default void onStep(long step, Map<String, Double> metrics) {
    }

    /** Every {@code log_every} steps and at the end: averages since the previous report. */
    default void onReport(long step, Map<String, Double> metrics) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(Checkpoint checkpoint) {
    }

    /** Training ended, normally or not. */
    default void onEnd(long step, Throwable failure) {
    }
}
