package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.NoiseSource;
import io.difflab.api.UserError;

import java.util.List;
import java.util.Map;

/**
 * How training draws its timesteps t (guided-diffusion's {@code ScheduleSampler}): uniformly
 * (Ho et al. 2020, Alg. 1), or by importance sampling with weights 1/(T·p_t) that keep the
 * objective's expectation (Nichol &amp; Dhariwal 2021, sec. 3.3). A loss-aware sampler learns p from
 * the per-sample losses it is given after each step; its state goes into checkpoints, so a resumed
 * run draws exactly the timesteps an uninterrupted one would.
 */
public interface ScheduleSampler {

    /** {@code train.schedule_sampler}: t ~ Uniform{0..T−1}. */
    String UNIFORM = "uniform";
    /** {@code train.schedule_sampler}: p_t ∝ √E[L_t²] over the last 10 losses at t. */
    String LOSS_SECOND_MOMENT = "loss-second-moment";
    /** The names {@link #named} knows. */
    List<String> NAMES = List.of(UNIFORM, LOSS_SECOND_MOMENT);

    /**
     * A batch of timesteps and the factors its per-sample losses are weighted by.
     *
     * @param t       (N) int32 indices into the schedule
     * @param weights (N) float32 importance weights 1/(T·p_t), or {@code null} when every one is 1
     */
    record Draw(NDArray t, NDArray weights) { }

    /** Draws {@code n} timesteps from {@code noise} in {@code manager}. */
    Draw draw(NoiseSource noise, NDManager manager, long n);

    /** Records the per-sample losses of the timesteps just drawn (no-op for a sampler that learns nothing). */
    default void update(int[] t, double[] losses) {
    }

    /** Whether {@link #update} changes anything (callers may skip computing per-sample losses otherwise). */
    default boolean lossAware() {
        return false;
    }

    /** What a checkpoint keeps of this sampler, as strings. */
    default Map<String, String> state() {
        return Map.of();
    }

    /** Restores a state from {@link #state()}. */
    default void restore(Map<String, String> state) {
    }

    /** A fresh sampler named as {@code train.schedule_sampler} names it, over {@code timesteps}. */
    static ScheduleSampler named(String name, int timesteps) {
        return switch (name) {
            case UNIFORM -> new UniformScheduleSampler(timesteps);
            case LOSS_SECOND_MOMENT -> new LossSecondMomentSampler(timesteps);
            default -> throw new UserError("train.schedule_sampler: unknown schedule sampler '" + name + "'; use one of "
                    + NAMES);
        };
    }
}
