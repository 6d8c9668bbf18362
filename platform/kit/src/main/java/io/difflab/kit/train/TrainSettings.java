package io.difflab.kit.train;

import io.difflab.api.Config;

/**
 * The spec's {@code train} section.
 *
 * @param steps           training steps; 0 samples from a checkpoint only
 * @param batchSize       images per step
 * @param lr              Adam learning rate
 * @param warmupSteps     steps of linear learning-rate warm-up
 * @param gradClip        gradient-norm clip; 0 = off
 * @param emaDecay        decay of the exponential moving average of the weights
 * @param logEvery        steps between metric logs
 * @param checkpointEvery steps between checkpoints
 * @param evalEvery       steps between evaluations during training (sampling with the EMA weights
 *                        and the spec's metrics); 0 = only after training
 * @param evalSamples     images drawn for each of those evaluations
 * @param scheduleSampler how a diffusion objective draws t: {@code uniform} or {@code loss-second-moment}
 *                        (read by the model's objectives, see {@code io.difflab.kit.diffusion.ScheduleSampler})
 */
public record TrainSettings(int steps, int batchSize, double lr, int warmupSteps, double gradClip, double emaDecay,
                            int logEvery, int checkpointEvery, int evalEvery, int evalSamples,
                            String scheduleSampler) {

    /** Settings with uniform timesteps. */
    public TrainSettings(int steps, int batchSize, double lr, int warmupSteps, double gradClip, double emaDecay,
                         int logEvery, int checkpointEvery, int evalEvery, int evalSamples) {
        this(steps, batchSize, lr, warmupSteps, gradClip, emaDecay, logEvery, checkpointEvery, evalEvery, evalSamples,
                "uniform");
    }

    /** Settings without evaluations during training, with uniform timesteps. */
    public TrainSettings(int steps, int batchSize, double lr, int warmupSteps, double gradClip, double emaDecay,
                         int logEvery, int checkpointEvery) {
        this(steps, batchSize, lr, warmupSteps, gradClip, emaDecay, logEvery, checkpointEvery, 0, 64);
    }

    public static TrainSettings of(Config c) {
        return new TrainSettings(c.getInt("steps"), c.getInt("batch_size"), c.getDouble("lr"),
                c.getInt("warmup_steps"), c.getDouble("grad_clip"), c.getDouble("ema_decay"),
                c.getInt("log_every"), c.getInt("checkpoint_every"), c.getInt("eval_every"), c.getInt("eval_samples"),
                c.has("schedule_sampler") ? c.getString("schedule_sampler") : "uniform");
    }
}
