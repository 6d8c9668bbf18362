package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import io.difflab.api.StepGuidance;

/**
 * Guidance by a gradient g = s·∇_{x_t} F(x_t, t, c) of any differentiable score F (classifier,
 * CLIP, semantic): the ancestral mean becomes μ + Σ·g (Dhariwal &amp; Nichol 2021, Alg. 1; the
 * survey's eq. 7) and the score-form ε becomes ε − √(1 − ᾱ_t)·g (Alg. 2).
 *
 * @param gradient g, shaped like x_t, scale included
 */
public record GradientGuidance(NDArray gradient) implements StepGuidance {

    @Override
    public NDArray conditionMean(NDArray mean, NDArray variance) {
        // Dhariwal & Nichol 2021, Alg. 1: μ + s·Σ·∇ log p(y | x_t), the scale already in g
        return mean.add(variance.mul(gradient));
    }

    @Override
    public NDArray conditionScore(NDArray epsilon, double sqrtOneMinusAlphaBar) {
        // Dhariwal & Nichol 2021, Alg. 2: ε̂ = ε − √(1 − ᾱ_t)·∇ log p(y | x_t)
        return epsilon.sub(gradient.mul(sqrtOneMinusAlphaBar));
    }
}
