package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;

/** Denoisers whose ε is exact in closed form, for data distributions simple enough to have one. */
final class AnalyticDenoisers {

    private AnalyticDenoisers() {
    }

    /** Data that is the single point c: ε = (x_t − √ᾱ_t c)/√(1 − ᾱ_t) exactly. */
    static Denoiser pointMass(DiffusionSchedule schedule, double c) {
        return (xt, t, condition) -> DenoiserOutput.of(
                xt.sub(schedule.sqrtAlphaCumprod(t) * c).div(schedule.sqrtOneMinusAlphaCumprod(t)));
    }

    /**
     * Data x_0 ~ N(μ, s²) per dimension: x_t ~ N(√ᾱ μ, ᾱ s² + 1 − ᾱ), so
     * E[ε | x_t] = √(1 − ᾱ)(x_t − √ᾱ μ)/(ᾱ s² + 1 − ᾱ).
     */
    static Denoiser gaussian(DiffusionSchedule schedule, double mu, double s) {
        return (xt, t, condition) -> {
            double a = schedule.alphaCumprod(t);
            NDArray eps = xt.sub(Math.sqrt(a) * mu).mul(Math.sqrt(1 - a) / (a * s * s + 1 - a));
            return DenoiserOutput.of(eps);
        };
    }
}
