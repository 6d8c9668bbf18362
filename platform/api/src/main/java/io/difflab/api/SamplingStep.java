package io.difflab.api;

import ai.djl.ndarray.NDArray;

/**
 * The fixed payload a sampler reports after each step (as k-diffusion's callback does).
 *
 * @param index     0-based step counter, counting up
 * @param total     the number of steps
 * @param timestep  the original-schedule timestep just denoised
 * @param x         the new, less noisy sample x_{t−1}
 * @param predX0    the model's estimate of x_0 at this step
 */
public record SamplingStep(int index, int total, int timestep, NDArray x, NDArray predX0) { }
