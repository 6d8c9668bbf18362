package io.difflab.api;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link Denoiser} returns for one step: everything a sampler needs, in one convention.
 *
 * @param epsilon          the predicted noise ε (N,C,H,W)
 * @param varianceFraction the learned interpolation (v+1)/2 in [0,1] between log β̃_t and
 *                         log β_t (N,C,H,W), or {@code null} for a fixed variance
 * @param logProbGradient  s·∇_{x_t} log p(y | x_t) from a guidance head, or {@code null}; the
 *                         ancestral sampler shifts the mean by Σ times it (Dhariwal &amp; Nichol
 *                         2021, Alg. 1), DDIM shifts ε by −√(1−ᾱ_t) times it (Alg. 2)
 */
public record DenoiserOutput(NDArray epsilon, NDArray varianceFraction, NDArray logProbGradient) {

    /** An ε prediction alone. */
    public static DenoiserOutput of(NDArray epsilon) {
        return new DenoiserOutput(epsilon, null, null);
    }

    public DenoiserOutput withEpsilon(NDArray newEpsilon) {
        return new DenoiserOutput(newEpsilon, varianceFraction, logProbGradient);
    }

    public DenoiserOutput withLogProbGradient(NDArray gradient) {
        return new DenoiserOutput(epsilon, varianceFraction, gradient);
    }
}
