package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The reverse-process step p_θ(x_{t−1} | x_t) = N(mean, variance) with the x_0 estimate it was
 * built from (guided-diffusion's {@code p_mean_variance} result). The variance and its log are of
 * the full shape of x_t for a learned variance, of shape (N, 1, ..., 1) for a fixed one.
 */
public record PMeanVariance(NDArray mean, NDArray variance, NDArray logVariance, NDArray predXStart) { }
