package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import io.difflab.api.Parameterization;

/**
 * What a network of each {@link Parameterization} is trained to output and how its output becomes
 * ε: the target of its squared-error loss (ε for Ho et al. 2020, eq. 14; x_0; v = √ᾱ_t ε − √(1−ᾱ_t) x_0
 * for Salimans &amp; Ho 2022, sec. 4) and the ε the sampler and the variational bound use.
 */
public final class Predictions {

    private Predictions() {
    }

    /** The regression target at x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. */
    public static NDArray target(Parameterization parameterization, GaussianDiffusion diffusion, NDArray xStart,
                                 NDArray t, NDArray noise) {
        return switch (parameterization) {
            case EPSILON -> noise;
            case X0 -> xStart;
            case V -> diffusion.velocity(xStart, t, noise);
        };
    }

    /** ε from a prediction at x_t (eq. 4 of Ho et al. 2020 solved for ε, or the definition of v). */
    public static NDArray epsilon(Parameterization parameterization, GaussianDiffusion diffusion, NDArray prediction,
                                  NDArray xt, NDArray t) {
        return switch (parameterization) {
            case EPSILON -> prediction;
            case X0 -> diffusion.predictEpsFromXStart(xt, t, prediction);
            case V -> diffusion.predictEpsFromVelocity(xt, t, prediction);
        };
    }
}
