package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Objects;

/**
 * What a {@link Denoiser} returns for one step: everything a sampler needs, in one convention.
 *
 * @param epsilon          the predicted noise ε (N,C,H,W), already guided by classifier-free guidance
 * @param varianceFraction the learned interpolation (v+1)/2 in [0,1] between log β̃_t and log β_t
 *                         (N,C,H,W), or {@code null} for a fixed variance
 * @param guidance         how gradient guidance changes the step ({@link StepGuidance#NONE} unguided);
 *                         samplers apply it as {@link StepGuidance#conditionMean} (ancestral) or
 *                         {@link StepGuidance#conditionScore} (DDIM and ODE solvers)
 */
public record DenoiserOutput(NDArray epsilon, NDArray varianceFraction, StepGuidance guidance) {

    public DenoiserOutput {
        Objects.requireNonNull(epsilon, "epsilon");
        guidance = guidance == null ? StepGuidance.NONE : guidance;
    }

    /** An ε prediction alone. */
    public static DenoiserOutput of(NDArray epsilon) {
        return new DenoiserOutput(epsilon, null, StepGuidance.NONE);
    }

    public DenoiserOutput withEpsilon(NDArray newEpsilon) {
        return new DenoiserOutput(newEpsilon, varianceFraction, guidance);
    }

    /** This output with {@code more} guidance applied after its own. */
    public DenoiserOutput guidedBy(StepGuidance more) {
        return new DenoiserOutput(epsilon, varianceFraction, guidance.andThen(more));
    }
}
