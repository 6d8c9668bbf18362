package io.difflab.api;

import ai.djl.ndarray.NDArray;

/**
 * How a guidance head changes a reverse step, in the two forms samplers take (guided-diffusion's
 * {@code condition_mean} and {@code condition_score}). Samplers always apply it and never ask which
 * head made it; unguided it leaves the step as it is. Heads compose with {@link #andThen}.
 */
public interface StepGuidance {

    /** No change. */
    StepGuidance NONE = new StepGuidance() {
        @Override
        public NDArray conditionMean(NDArray mean, NDArray variance) {
            return mean;
        }

        @Override
        public NDArray conditionScore(NDArray epsilon, double sqrtOneMinusAlphaBar) {
            return epsilon;
        }
    };

    /**
     * The guided mean of an ancestral step from the model's mean μ and variance Σ (for gradient
     * guidance μ + Σ·g, Dhariwal &amp; Nichol 2021, Alg. 1). Returns {@code mean} itself when unchanged.
     */
    NDArray conditionMean(NDArray mean, NDArray variance);

    /**
     * The guided ε of a deterministic or ODE step at a timestep with √(1 − ᾱ_t) (for gradient
     * guidance ε − √(1 − ᾱ_t)·g, Dhariwal &amp; Nichol 2021, Alg. 2). Returns {@code epsilon} itself
     * when unchanged, so a sampler keeps its x_0 estimate (and its clipping) then.
     */
    NDArray conditionScore(NDArray epsilon, double sqrtOneMinusAlphaBar);

    /** This change, then {@code next}'s on its result. */
    default StepGuidance andThen(StepGuidance next) {
        if (this == NONE) {
            return next;
        }
        if (next == NONE) {
            return this;
        }
        StepGuidance first = this;
        return new StepGuidance() {
            @Override
            public NDArray conditionMean(NDArray mean, NDArray variance) {
                return next.conditionMean(first.conditionMean(mean, variance), variance);
            }

            @Override
            public NDArray conditionScore(NDArray epsilon, double sqrtOneMinusAlphaBar) {
                return next.conditionScore(first.conditionScore(epsilon, sqrtOneMinusAlphaBar), sqrtOneMinusAlphaBar);
            }
        };
    }
}
