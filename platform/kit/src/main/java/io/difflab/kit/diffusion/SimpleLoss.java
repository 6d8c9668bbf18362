package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * L_simple = E_{t, x_0, ε} ‖ε − ε_θ(x_t, t)‖² (Ho et al. 2020, eq. 14), the squared error taken as
 * a mean over all dimensions, as in guided-diffusion's {@code mean_flat}.
 */
public final class SimpleLoss {

    private SimpleLoss() {
    }

    /** ‖ε − ε_θ‖² averaged over every dimension but the batch: one value per sample, shape (N). */
    public static NDArray perSample(NDArray noise, NDArray predictedNoise) {
        return GaussianMath.meanFlat(noise.sub(predictedNoise).square());
    }

    /** The batch loss: ‖ε − ε_θ‖² averaged over every dimension, a scalar. */
    public static NDArray mean(NDArray noise, NDArray predictedNoise) {
        return noise.sub(predictedNoise).square().mean();
    }
}
