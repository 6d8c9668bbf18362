package io.difflab.core.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * The Gaussian diffusion process of Ho et al. 2020 on NDArrays, for one (possibly respaced)
 * schedule: the forward process q, its posterior, and the reverse step p_θ built from a
 * {@link DenoiserOutput}. Methods follow guided-diffusion's {@code GaussianDiffusion}.
 *
 * <p>Timesteps are per-sample index arrays {@code t} of shape (N) into this schedule; the
 * coefficients, precomputed in double precision, are gathered on the device of the inputs and
 * cast to their data type. New arrays live in the manager of the first array argument.
 */
public final class GaussianDiffusion {

    private final DiffusionSchedule schedule;
    private final double[] sqrtAlphasCumprod;
    private final double[] sqrtOneMinusAlphasCumprod;
    private final double[] oneMinusAlphasCumprod;
    private final double[] logOneMinusAlphasCumprod;
    private final double[] sqrtRecipAlphasCumprod;
    private final double[] sqrtRecipm1AlphasCumprod;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;
    private final double[] logBetas;
    private final double[] fixedLargeVariance;
    private final double[] fixedLargeLogVariance;

    public GaussianDiffusion(DiffusionSchedule schedule) {
        this.schedule = schedule;
        sqrtAlphasCumprod = table(schedule::sqrtAlphaCumprod);
        sqrtOneMinusAlphasCumprod = table(schedule::sqrtOneMinusAlphaCumprod);
        oneMinusAlphasCumprod = table(t -> 1.0 - schedule.alphaCumprod(t));
        logOneMinusAlphasCumprod = table(t -> Math.log(1.0 - schedule.alphaCumprod(t)));
        sqrtRecipAlphasCumprod = table(schedule::sqrtRecipAlphaCumprod);
        sqrtRecipm1AlphasCumprod = table(schedule::sqrtRecipm1AlphaCumprod);
        posteriorVariance = table(schedule::posteriorVariance);
        posteriorLogVarianceClipped = table(schedule::posteriorLogVarianceClipped);
        posteriorMeanCoef1 = table(schedule::posteriorMeanCoef1);
        posteriorMeanCoef2 = table(schedule::posteriorMeanCoef2);
        logBetas = table(t -> Math.log(schedule.beta(t)));
        // Σ = β_t, except at t = 0 where guided-diffusion takes β̃_1 for a better decoder likelihood
        int n = schedule.timesteps();
        fixedLargeVariance = table(t -> t == 0 && n > 1 ? schedule.posteriorVariance(1) : schedule.beta(t));
        fixedLargeLogVariance = table(t -> Math.log(fixedLargeVariance[t]));
    }

    public DiffusionSchedule schedule() {
        return schedule;
    }

    /** q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) (Ho et al. 2020, eq. 4). */
    public DiagonalGaussian qMeanVariance(NDArray xStart, NDArray t) {
        NDArray mean = xStart.mul(extract(sqrtAlphasCumprod, t, xStart));
        NDArray variance = extract(oneMinusAlphasCumprod, t, xStart);
        return new DiagonalGaussian(mean, variance, extract(logOneMinusAlphasCumprod, t, xStart));
    }

    /** x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, a draw from q(x_t | x_0) (Ho et al. 2020, eq. 4). */
    public NDArray qSample(NDArray xStart, NDArray t, NDArray noise) {
        return xStart.mul(extract(sqrtAlphasCumprod, t, xStart))
                .add(noise.mul(extract(sqrtOneMinusAlphasCumprod, t, xStart)));
    }

    /**
     * q(x_{t−1} | x_t, x_0) = N(μ̃_t, β̃_t I) with μ̃_t = coef1·x_0 + coef2·x_t (Ho et al. 2020,
     * eq. 6–7); the log variance is clipped at t = 0.
     */
    public DiagonalGaussian qPosteriorMeanVariance(NDArray xStart, NDArray xt, NDArray t) {
        NDArray mean = qPosteriorMean(xStart, xt, t);
        return new DiagonalGaussian(mean, extract(posteriorVariance, t, xStart),
                extract(posteriorLogVarianceClipped, t, xStart));
    }

    /** x_0 = x_t/√ᾱ_t − √(1/ᾱ_t − 1)·ε, eq. 4 solved for x_0. */
    public NDArray predictXStartFromEps(NDArray xt, NDArray t, NDArray eps) {
        return xt.mul(extract(sqrtRecipAlphasCumprod, t, xt)).sub(eps.mul(extract(sqrtRecipm1AlphasCumprod, t, xt)));
    }

    /** ε = (x_t/√ᾱ_t − x_0) / √(1/ᾱ_t − 1), eq. 4 solved for ε. */
    public NDArray predictEpsFromXStart(NDArray xt, NDArray t, NDArray xStart) {
        return xt.mul(extract(sqrtRecipAlphasCumprod, t, xt)).sub(xStart).div(extract(sqrtRecipm1AlphasCumprod, t, xt));
    }

    /**
     * p_θ(x_{t−1} | x_t): the mean is the posterior mean μ̃_t at the estimate x̂_0 from ε_θ (Ho et
     * al. 2020, eq. 11 in its x̂_0 form), optionally with x̂_0 clipped to [−1, 1]; the variance is β̃_t
     * (fixed small), β_t (fixed large) or exp(v·log β_t + (1 − v)·log β̃_t) with v the output's
     * variance fraction (Nichol &amp; Dhariwal 2021, eq. 15).
     */
    public PMeanVariance pMeanVariance(DenoiserOutput output, NDArray xt, NDArray t,
                                       VarianceType varianceType, boolean clipDenoised) {
        NDArray variance;
        NDArray logVariance;
        switch (varianceType) {
            case LEARNED_RANGE -> {
                NDArray frac = output.varianceFraction();
                if (frac == null) {
                    throw new UserError("variance 'learned' needs an estimator that learns the variance, "
                            + "but this one predicts a fixed-variance output");
                }
                NDArray minLog = extract(posteriorLogVarianceClipped, t, xt);
                NDArray maxLog = extract(logBetas, t, xt);
                logVariance = frac.mul(maxLog).add(frac.neg().add(1.0).mul(minLog));
                variance = logVariance.exp();
            }
            case FIXED_LARGE -> {
                variance = extract(fixedLargeVariance, t, xt);
                logVariance = extract(fixedLargeLogVariance, t, xt);
            }
            case FIXED_SMALL -> {
                variance = extract(posteriorVariance, t, xt);
                logVariance = extract(posteriorLogVarianceClipped, t, xt);
            }
            default -> throw new IllegalArgumentException("unknown variance type " + varianceType);
        }
        NDArray predXStart = predictXStartFromEps(xt, t, output.epsilon());
        if (clipDenoised) {
            predXStart = predXStart.clip(-1.0, 1.0);
        }
        return new PMeanVariance(qPosteriorMean(predXStart, xt, t), variance, logVariance, predXStart);
    }

    /** μ̃_t(x_t, x_0) = coef1·x_0 + coef2·x_t (Ho et al. 2020, eq. 7). */
    public NDArray qPosteriorMean(NDArray xStart, NDArray xt, NDArray t) {
        return xStart.mul(extract(posteriorMeanCoef1, t, xStart)).add(xt.mul(extract(posteriorMeanCoef2, t, xStart)));
    }

    /**
     * table[t_i] for each sample, created on {@code like}'s device in its data type, shaped
     * (N, 1, ..., 1) to broadcast against it (guided-diffusion's {@code _extract_into_tensor}).
     */
    public static NDArray extract(double[] table, NDArray t, NDArray like) {
        NDArray values = like.getManager().create(table);
        NDArray index = t.getDevice().equals(like.getDevice()) ? t : t.toDevice(like.getDevice(), false);
        NDArray gathered = values.take(index.toType(DataType.INT64, false));
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1L);
        dims[0] = -1;
        return gathered.toType(like.getDataType(), false).reshape(new Shape(dims));
    }

    private double[] table(IntToDoubleFunction f) {
        double[] out = new double[schedule.timesteps()];
        for (int t = 0; t < out.length; t++) {
            out[t] = f.applyAsDouble(t);
        }
        return out;
    }
}
