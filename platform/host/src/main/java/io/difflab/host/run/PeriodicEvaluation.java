package io.difflab.host.run;

import io.difflab.kit.train.TrainingListener;

import java.util.function.LongConsumer;

/**
 * Evaluates during training every {@code train.eval_every} steps: the pipeline's action draws
 * samples with the EMA weights as they are at that step and logs the spec's metrics at it, so
 * that MLflow shows each metric as a curve over training (the last point is the run's final
 * evaluation, made after training). Training itself is untouched: a step is a pure function of
 * (state, seed, step), so sampling in between does not change any later step.
 */
final class PeriodicEvaluation implements TrainingListener {

    private final int every;
    private final LongConsumer evaluate;
    private long totalSteps;

    /**
     * @param every    steps between evaluations; 0 = none
     * @param evaluate the evaluation at a step (samples, metrics, logging)
     */
    PeriodicEvaluation(int every, LongConsumer evaluate) {
        this.every = every;
        this.evaluate = evaluate;
    }

    @Override
    public void onStart(long startStep, long totalSteps) {
        this.totalSteps = totalSteps;
    }

    @Override
    public void onStep(long step, java.util.Map<String, Double> metrics) {
        if (due(step, every, totalSteps)) {
            evaluate.accept(step);
        }
    }

    /** At every multiple of {@code every} before the last step (the run evaluates after training anyway). */
    static boolean due(long step, int every, long totalSteps) {
        return every > 0 && step % every == 0 && step < totalSteps;
    }
}
