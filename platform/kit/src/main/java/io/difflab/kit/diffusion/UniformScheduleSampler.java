package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDManager;
import io.difflab.api.NoiseSource;

/** t ~ Uniform{0..T−1} (Ho et al. 2020, Alg. 1, line 3): every importance weight is 1. */
public final class UniformScheduleSampler implements ScheduleSampler {

    private final int timesteps;

    public UniformScheduleSampler(int timesteps) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("a schedule sampler needs at least 1 timestep, got " + timesteps);
        }
        this.timesteps = timesteps;
    }

    @Override
    public Draw draw(NoiseSource noise, NDManager manager, long n) {
        return new Draw(noise.randint(manager, timesteps, n), null);
    }
}
