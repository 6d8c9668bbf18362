package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * A Gaussian with diagonal covariance: the mean, and the variance and its log, each either of
 * the full shape of x or of shape (N, 1, ..., 1) that broadcasts against it.
 */
public record DiagonalGaussian(NDArray mean, NDArray variance, NDArray logVariance) { }
