package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import io.difflab.api.Condition;

/**
 * A differentiable score F(x_t, t, c) that gradient guidance steers by: log p(y | x_t, t) of a
 * noise-aware classifier, f(x_t, t)·g(c) of a noise-aware CLIP, the semantic scores of SDG.
 */
@FunctionalInterface
public interface ScoreFunction {

    /**
     * F per sample, (N), differentiable with respect to {@code xt}, in {@code xt}'s manager.
     *
     * @param xt        the noisy batch (N, C, H, W)
     * @param timestep  the timestep of the original (training) schedule
     * @param condition the batch's conditions (the head's own among them)
     */
    NDArray score(NDArray xt, int timestep, Condition condition);
}
