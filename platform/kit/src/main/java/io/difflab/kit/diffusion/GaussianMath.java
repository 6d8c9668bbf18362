package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.difflab.kit.engine.Scalars;

/**
 * Elementwise Gaussian quantities for the variational bound: the KL between diagonal Gaussians
 * and the discretized Gaussian decoder likelihood of Ho et al. 2020 (sec. 3.3), as in
 * guided-diffusion's {@code losses.py}. Scalar factors go through {@link Scalars}, as these terms are
 * differentiated in training (L_hybrid).
 */
public final class GaussianMath {

    /** Half the width of one of the 256 bins that [−1, 1] is cut into (8-bit data). */
    public static final double HALF_BIN = 1.0 / 255.0;

    private GaussianMath() {
    }

    /**
     * KL(N(mean1, exp(logvar1)) ‖ N(mean2, exp(logvar2))) elementwise, in nats:
     * ½(−1 + logvar2 − logvar1 + exp(logvar1 − logvar2) + (mean1 − mean2)² exp(−logvar2)), summed in
     * that order as guided-diffusion's {@code normal_kl} does: the −1 meets logvar2 − logvar1 and the
     * exp term (each ≈ ±1 for nearly equal variances) before the small mean term is added, so that
     * term survives float32 (the cosine schedule's prior term, ½ᾱ_T·x_0² with ᾱ_T = 2.4e-9, would round to 0).
     */
    public static NDArray normalKl(NDArray mean1, NDArray logvar1, NDArray mean2, NDArray logvar2) {
        return Scalars.mul(logvar2.sub(1.0).sub(logvar1).add(logvar1.sub(logvar2).exp())
                .add(mean1.sub(mean2).square().mul(logvar2.neg().exp())), 0.5);
    }

    /** Φ(x) ≈ ½(1 + tanh(√(2/π)(x + 0.044715x³))), the approximation guided-diffusion uses. */
    public static NDArray approxStandardNormalCdf(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(x.square().mul(x), 0.044715)), Math.sqrt(2.0 / Math.PI));
        return Scalars.mul(inner.tanh().add(1.0), 0.5);
    }

    /** The same approximation of Φ on one double, for closed-form checks. */
    public static double approxStandardNormalCdf(double x) {
        return 0.5 * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /**
     * log p(x) for data x in [−1, 1] quantized to 256 levels under N(means, exp(logScales)²):
     * the Gaussian mass of x's bin [x − 1/255, x + 1/255], with the edge bins extended to ∓∞
     * (Ho et al. 2020, eq. 13). Probabilities are floored at 10⁻¹² before the log.
     */
    public static NDArray discretizedGaussianLogLikelihood(NDArray x, NDArray means, NDArray logScales) {
        NDArray centered = x.sub(means);
        NDArray invStdv = logScales.neg().exp();
        NDArray cdfPlus = approxStandardNormalCdf(centered.add(HALF_BIN).mul(invStdv));
        NDArray cdfMin = approxStandardNormalCdf(centered.sub(HALF_BIN).mul(invStdv));
        NDArray logCdfPlus = Scalars.maximum(cdfPlus, 1e-12).log();
        NDArray logOneMinusCdfMin = Scalars.maximum(cdfMin.neg().add(1.0), 1e-12).log();
        NDArray logCdfDelta = Scalars.maximum(cdfPlus.sub(cdfMin), 1e-12).log();
        NDArray interior = NDArrays.where(x.gt(0.999), logOneMinusCdfMin, logCdfDelta);
        return NDArrays.where(x.lt(-0.999), logCdfPlus, interior);
    }

    /** The mean over every axis but the first: one value per sample, shape (N). */
    public static NDArray meanFlat(NDArray x) {
        if (x.getShape().dimension() <= 1) {
            return x;
        }
        // the PyTorch engine reduces one axis at a time: flatten the others first
        return x.reshape(x.getShape().get(0), -1).mean(new int[] {1});
    }
}
