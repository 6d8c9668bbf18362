package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;

/**
 * The denoiser wrapper of every gradient guidance head: the inner prediction, guided by
 * g = s·∇_{x_t} F(x_t, t, c) at the step's original timestep (Dhariwal &amp; Nichol 2021, Alg. 1
 * and 2). A scale of 0 is unguided and costs no gradient.
 */
public final class ScoreGuidance {

    private ScoreGuidance() {
    }

    /**
     * @param inner       the denoiser to guide
     * @param score       F
     * @param scale       s ≥ 0
     * @param timestepMap the sampler's schedule step to the original timestep
     */
    public static Denoiser wrap(Denoiser inner, ScoreFunction score, double scale, int[] timestepMap) {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the guidance scale must be finite and >= 0, got " + scale);
        }
        return (xt, t, condition) -> {
            DenoiserOutput output = inner.predict(xt, t, condition);
            if (scale == 0) {
                return output;
            }
            NDArray g = ScoreGradient.of(score, xt, timestepMap[t], condition).muli(scale);
            return output.guidedBy(new GradientGuidance(g));
        };
    }
}
