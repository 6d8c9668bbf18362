package io.difflab.kit.sampling;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;

/**
 * A sampler whose paper spaces a plain step count N its own way: DDIM and PLMS by an integer stride
 * ({@code ddimN}), the Karras solvers by σ^{1/ρ}-uniform noise levels, DPM-Solver++ uniformly in
 * logSNR. Samplers without it take N evenly spaced timesteps, as guided-diffusion does. An
 * explicit {@code sampler.steps} form ({@code ddimN}, {@code 10,15,20}) always wins.
 */
public interface SpacedSampler {

    /**
     * The original timesteps (strictly increasing) that {@code steps} steps keep on {@code full};
     * never fails for 1 ≤ steps ≤ T.
     */
    int[] spacing(DiffusionSchedule full, int steps, Config config);
}
