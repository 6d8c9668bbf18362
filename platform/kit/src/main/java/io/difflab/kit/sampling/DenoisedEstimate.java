package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import io.difflab.api.DenoiserOutput;
import io.difflab.kit.diffusion.GaussianDiffusion;

/**
 * The ε and x_0 estimates a deterministic (DDIM or ODE) step takes, as guided-diffusion's
 * {@code ddim_sample} forms them: x̂_0 from the denoiser's ε (clipped to [−1, 1] when asked), ε
 * recomputed from that x̂_0, then the guidance head's score form ε̂ = conditionScore(ε, √(1 − ᾱ_t))
 * (Dhariwal &amp; Nichol 2021, Alg. 2) with x̂_0 moved along when guidance changed ε. Every solver
 * builds on these two, so each works with every guidance head and ignores a learned variance.
 *
 * @param epsilon    ε̂
 * @param predXStart x̂_0
 */
public record DenoisedEstimate(NDArray epsilon, NDArray predXStart) {

    /** The estimates at {@code step} of {@code diffusion}'s schedule (t: that step as an (N) array). */
    public static DenoisedEstimate of(GaussianDiffusion diffusion, DenoiserOutput output, NDArray x, NDArray t,
                                      int step, boolean clip) {
        NDArray eps = output.epsilon();
        NDArray predXStart = diffusion.predictXStartFromEps(x, t, eps);
        if (clip) {
            predXStart = predXStart.clip(-1.0, 1.0);
            eps = diffusion.predictEpsFromXStart(x, t, predXStart);
        }
        NDArray guided = output.guidance().conditionScore(eps, diffusion.schedule().sqrtOneMinusAlphaCumprod(step));
        if (guided != eps) {
            // guidance moved ε: the x_0 estimate moves with it (guided-diffusion's condition_score)
            eps = guided;
            predXStart = diffusion.predictXStartFromEps(x, t, eps);
        }
        return new DenoisedEstimate(eps, predXStart);
    }
}
