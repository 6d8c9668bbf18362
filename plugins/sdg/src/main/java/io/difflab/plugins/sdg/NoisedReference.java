package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.NoiseSource;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.StepSeeds;

/**
 * The reference image x'_0 noised to the step's own timestep, x'_t = q_sample(x'_0, t) =
 * √ᾱ_t·x'_0 + √(1 − ᾱ_t)·ε' (Ho et al. 2020, eq. 4), so that x_t and x'_t are compared at the same
 * t by the noise-aware encoder (Liu et al. 2021; the survey's eq. 8). ᾱ_t is the CLIP's own forward
 * process, the one it learnt to read, at the original (not respaced) timestep; ε' is drawn fresh at
 * every call from a noise stream of its own, seeded by the run's seed.
 */
public final class NoisedReference {

    /** Offsets the reference noise from the run's training and sampling streams. */
    static final long REFERENCE_STREAM = 3L << 40;

    private final DiffusionSchedule schedule;
    private final NoiseSource noise;

    /**
     * @param schedule the forward process the CLIP reads (its full T timesteps)
     * @param noise    where ε' comes from
     */
    public NoisedReference(DiffusionSchedule schedule, NoiseSource noise) {
        this.schedule = schedule;
        this.noise = noise;
    }

    /** Noise for the run seeded {@code seed}, on its own stream. */
    public static NoisedReference seeded(DiffusionSchedule schedule, long seed) {
        return new NoisedReference(schedule, new SeededNoiseSource(StepSeeds.mix(seed, REFERENCE_STREAM)));
    }

    /** x'_t of references x'_0 (N, C, H, W) at the original timestep {@code t}, in their manager. */
    public NDArray sample(NDArray reference, int t) {
        if (t < 0 || t >= schedule.timesteps()) {
            throw new IllegalArgumentException("timestep " + t + " outside the CLIP's 0.." + (schedule.timesteps() - 1));
        }
        NDArray epsilon = noise.normal(reference.getManager(), reference.getShape())
                .toType(reference.getDataType(), false);
        return qSample(reference, epsilon, schedule.alphaCumprod(t));
    }

    /** √ᾱ·x_0 + √(1 − ᾱ)·ε (Ho et al. 2020, eq. 4). */
    public static NDArray qSample(NDArray x0, NDArray epsilon, double alphaBar) {
        return Scalars.mul(x0, Math.sqrt(alphaBar)).add(Scalars.mul(epsilon, Math.sqrt(1 - alphaBar)));
    }

    /** T of the CLIP's forward process. */
    public int timesteps() {
        return schedule.timesteps();
    }
}
