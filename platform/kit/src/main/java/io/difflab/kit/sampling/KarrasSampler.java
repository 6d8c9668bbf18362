package io.difflab.kit.sampling;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Option;
import io.difflab.kit.schedule.TimestepSpacing;

import java.util.List;

/**
 * What the deterministic samplers of Karras et al. 2022 (Alg. 1) share: they integrate the
 * probability-flow ODE dx̄/dσ = ε(x̄, σ) in x̄ = x/√ᾱ and σ = √((1 − ᾱ)/ᾱ) (sec. 3, eq. 3 with
 * s(t) = √ᾱ, σ(t) = σ), over σ^{1/ρ}-uniform noise levels (eq. 5, ρ = 7) for a plain step count,
 * and end with an Euler step to σ = 0 (x = D(x̄; σ) = x̂_0). The VP sample is x = √ᾱ·x̄.
 */
public abstract class KarrasSampler extends ReverseProcessSampler implements SpacedSampler {

    /** ρ of Karras et al. 2022, eq. 5 and Table 1. */
    static final double DEFAULT_RHO = 7.0;
    static final boolean DEFAULT_CLIP_DENOISED = true;

    @Override
    public List<Option> options() {
        return List.of(
                Option.real("rho", DEFAULT_RHO, 1.0, 100.0, "rho of the noise levels sigma_i^(1/rho) "
                        + "uniform in i (Karras et al. 2022, eq. 5) for a plain step count"),
                Option.bool("clip_denoised", DEFAULT_CLIP_DENOISED,
                        "clip each evaluation's x_0 estimate D to [-1, 1] (false: the plain ODE)"));
    }

    @Override
    public int[] spacing(DiffusionSchedule full, int steps, Config config) {
        return TimestepSpacing.karras(full, steps, config.getDouble("rho"));
    }

    /** σ at step {@code step} of the schedule; σ = 0 below step 0 (ᾱ_{−1} = 1). */
    static double sigma(DiffusionSchedule schedule, int step) {
        return step < 0 ? 0.0 : TimestepSpacing.sigma(schedule, step);
    }

    /** √ᾱ at step {@code step}; 1 below step 0. */
    static double scale(DiffusionSchedule schedule, int step) {
        return step < 0 ? 1.0 : schedule.sqrtAlphaCumprod(step);
    }
}
