package io.difflab.api;

import ai.djl.ndarray.NDArray;

/**
 * The one contract samplers see (after k-diffusion's adapters): given x_t at step {@code t} of
 * the sampler's (possibly respaced) schedule, the prediction in ε form. Adapters bring every
 * network to it, and guidance heads wrap it, so samplers never branch on the model type.
 */
@FunctionalInterface
public interface Denoiser {

    /**
     * @param xt        the noisy batch (N,C,H,W)
     * @param t         the step index in the sampler's schedule, the same for the whole batch
     * @param condition labels and extras, or {@link Condition#none()}
     */
    DenoiserOutput predict(NDArray xt, int t, Condition condition);
}
