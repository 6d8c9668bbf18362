package io.difflab.kit.diffusion;

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
        int[] steps = steps(t);
        NDArray mean = xStart.mul(gather(sqrtAlphasCumprod, steps, xStart));
        return new DiagonalGaussian(mean, gather(oneMinusAlphasCumprod, steps, xStart),
                gather(logOneMinusAlphasCumprod, steps, xStart));
    }

    /** x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, a draw from q(x_t | x_0) (Ho et al. 2020, eq. 4). */
    public NDArray qSample(NDArray xStart, NDArray t, NDArray noise) {
        int[] steps = steps(t);
        return xStart.mul(gather(sqrtAlphasCumprod, steps, xStart))
                .add(noise.mul(gather(sqrtOneMinusAlphasCumprod, steps, xStart)));
    }

    /**
     * q(x_{t−1} | x_t, x_0) = N(μ̃_t, β̃_t I) with μ̃_t = coef1·x_0 + coef2·x_t (Ho et al. 2020,
     * eq. 6–7); the log variance is clipped at t = 0.
     */
    public DiagonalGaussian qPosteriorMeanVariance(NDArray xStart, NDArray xt, NDArray t) {
        int[] steps = steps(t);
        return new DiagonalGaussian(qPosteriorMean(xStart, xt, steps), gather(posteriorVariance, steps, xStart),
                gather(posteriorLogVarianceClipped, steps, xStart));
    }

    /** μ̃_t(x_t, x_0) = coef1·x_0 + coef2·x_t (Ho et al. 2020, eq. 7). */
    public NDArray qPosteriorMean(NDArray xStart, NDArray xt, NDArray t) {
        return qPosteriorMean(xStart, xt, steps(t));
    }

    /** x_0 = x_t/√ᾱ_t − √(1/ᾱ_t − 1)·ε, eq. 4 solved for x_0. */
    public NDArray predictXStartFromEps(NDArray xt, NDArray t, NDArray eps) {
        return predictXStartFromEps(xt, steps(t), eps);
    }

    /** ε = (x_t/√ᾱ_t − x_0) / √(1/ᾱ_t − 1), eq. 4 solved for ε. */
    public NDArray predictEpsFromXStart(NDArray xt, NDArray t, NDArray xStart) {
        int[] steps = steps(t);
        return xt.mul(gather(sqrtRecipAlphasCumprod, steps, xt)).sub(xStart)
                .div(gather(sqrtRecipm1AlphasCumprod, steps, xt));
    }

    /** v = √ᾱ_t ε − √(1 − ᾱ_t) x_0, the velocity target (Salimans &amp; Ho 2022, sec. 4). */
    public NDArray velocity(NDArray xStart, NDArray t, NDArray noise) {
        int[] steps = steps(t);
        return noise.mul(gather(sqrtAlphasCumprod, steps, noise))
                .sub(xStart.mul(gather(sqrtOneMinusAlphasCumprod, steps, xStart)));
    }

    /** ε = √ᾱ_t v + √(1 − ᾱ_t) x_t, the definition of v and eq. 4 solved for ε. */
    public NDArray predictEpsFromVelocity(NDArray xt, NDArray t, NDArray v) {
        int[] steps = steps(t);
        return v.mul(gather(sqrtAlphasCumprod, steps, v)).add(xt.mul(gather(sqrtOneMinusAlphasCumprod, steps, xt)));
    }

    /**
     * p_θ(x_{t−1} | x_t): the mean is the posterior mean μ̃_t at the estimate x̂_0 from ε_θ (Ho et
     * al. 2020, eq. 11 in its x̂_0 form), optionally with x̂_0 clipped to [−1, 1]; the variance is β̃_t
     * (fixed small), β_t (fixed large) or exp(v·log β_t + (1 − v)·log β̃_t) with v the output's
     * variance fraction (Nichol &amp; Dhariwal 2021, eq. 15).
     */
    public PMeanVariance pMeanVariance(DenoiserOutput output, NDArray xt, NDArray t,
                                       VarianceType varianceType, boolean clipDenoised) {
        int[] steps = steps(t);
        NDArray variance;
        NDArray logVariance;
        switch (varianceType) {
            case LEARNED_RANGE -> {
                NDArray frac = output.varianceFraction();
                if (frac == null) {
                    throw new UserError("variance 'learned' needs an estimator that learns the variance, "
                            + "but this one predicts a fixed-variance output");
                }
                NDArray minLog = gather(posteriorLogVarianceClipped, steps, xt);
                NDArray maxLog = gather(logBetas, steps, xt);
                logVariance = frac.mul(maxLog).add(frac.neg().add(1.0).mul(minLog));
                variance = logVariance.exp();
            }
            case FIXED_LARGE -> {
                variance = gather(fixedLargeVariance, steps, xt);
                logVariance = gather(fixedLargeLogVariance, steps, xt);
            }
            case FIXED_SMALL -> {
                variance = gather(posteriorVariance, steps, xt);
                logVariance = gather(posteriorLogVarianceClipped, steps, xt);
            }
            default -> throw new IllegalArgumentException("unknown variance type " + varianceType);
        }
        NDArray predXStart = predictXStartFromEps(xt, steps, output.epsilon());
        if (clipDenoised) {
            predXStart = predXStart.clip(-1.0, 1.0);
        }
        return new PMeanVariance(qPosteriorMean(predXStart, xt, steps), variance, logVariance, predXStart);
    }

    /**
     * table[t_i] for each sample, created on {@code like}'s device in its data type, shaped
     * (N, 1, ..., 1) to broadcast against it (guided-diffusion's {@code _extract_into_tensor}).
     */
    public static NDArray extract(double[] table, NDArray t, NDArray like) {
        return gather(table, steps(t), like);
    }

    private NDArray qPosteriorMean(NDArray xStart, NDArray xt, int[] steps) {
        return xStart.mul(gather(posteriorMeanCoef1, steps, xStart)).add(xt.mul(gather(posteriorMeanCoef2, steps, xStart)));
    }

    private NDArray predictXStartFromEps(NDArray xt, int[] steps, NDArray eps) {
        return xt.mul(gather(sqrtRecipAlphasCumprod, steps, xt)).sub(eps.mul(gather(sqrtRecipm1AlphasCumprod, steps, xt)));
    }

    /**
     * The indices of t on the host. One small copy per call; gathering the whole table on the
     * device instead costs several native ops per coefficient (and DJL's take is slow).
     */
    private static int[] steps(NDArray t) {
        return t.toType(DataType.INT32, false).toIntArray();
    }

    /** The coefficients at {@code steps} as (N, 1, ..., 1) on {@code like}'s device in its data type. */
    private static NDArray gather(double[] table, int[] steps, NDArray like) {
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1L);
        dims[0] = steps.length;
        Shape shape = new Shape(dims);
        if (like.getDataType() == DataType.FLOAT64) {
            double[] values = new double[steps.length];
            Arrays.setAll(values, i -> table[steps[i]]);
            return like.getManager().create(values, shape);
        }
        float[] values = new float[steps.length];
        for (int i = 0; i < steps.length; i++) {
            values[i] = (float) table[steps[i]];
        }
        NDArray gathered = like.getManager().create(values, shape);
        return like.getDataType() == DataType.FLOAT32 ? gathered : gathered.toType(like.getDataType(), false);
    }

    private double[] table(IntToDoubleFunction f) {
        double[] out = new double[schedule.timesteps()];
        for (int t = 0; t < out.length; t++) {
            out[t] = f.applyAsDouble(t);
        }
        return out;
    }
}
