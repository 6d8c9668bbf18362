package io.difflab.core.train;

import io.difflab.api.Config;

/**
 * The {@code train} section of a spec as typed values.
 *
 * @param steps           optimizer steps in total
 * @param batchSize       images per step
 * @param learningRate    Adam's peak learning rate
 * @param warmupSteps     steps of linear learning-rate warm-up from 0
 * @param gradClip        global gradient-norm bound; 0 disables clipping
 * @param emaDecay        decay of the exponential moving average of the weights
 * @param logEvery        steps between metric reports
 * @param checkpointEvery steps between checkpoints (a final one is always written)
 */
public record TrainSettings(long steps, int batchSize, double learningRate, long warmupSteps,
                            double gradClip, double emaDecay, long logEvery, long checkpointEvery) {

    /** Reads the validated {@code train} section. */
    public static TrainSettings from(Config train) {
        return new TrainSettings(train.getLong("steps"), train.getInt("batch_size"), train.getDouble("lr"),
                train.getLong("warmup_steps"), train.getDouble("grad_clip"), train.getDouble("ema_decay"),
                train.getLong("log_every"), train.getLong("checkpoint_every"));
    }

    /** The learning rate at 0-based {@code step}: linear warm-up, then constant (Ho et al. 2020, App. B). */
    public double learningRateAt(long step) {
        if (warmupSteps <= 0) {
            return learningRate;
        }
        return learningRate * Math.min(1.0, (step + 1.0) / warmupSteps);
    }
}
