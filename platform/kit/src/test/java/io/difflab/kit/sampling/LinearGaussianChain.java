package io.difflab.kit.sampling;

import io.difflab.api.DiffusionSchedule;
import io.difflab.api.VarianceType;

/**
 * For data N(μ, s²) and the exact ε of {@link AnalyticDenoisers#gaussian}, every sampler step is
 * affine in x_t plus Gaussian noise, x_{t−1} = A x_t + B + σ z, so the output's mean and variance
 * follow in closed form from x_T ~ N(0, 1): m ← A m + B, v ← A² v + σ².
 */
final class LinearGaussianChain {

    private LinearGaussianChain() {
    }

    /** {mean, variance} after ancestral sampling without clipping (Ho et al. 2020, Alg. 2). */
    static double[] ancestral(DiffusionSchedule schedule, double mu, double s, VarianceType variance) {
        double m = 0;
        double v = 1;
        for (int t = schedule.timesteps() - 1; t >= 0; t--) {
            double[] pq = xStartEstimate(schedule, t, mu, s);
            // μ̃ = coef1·x̂_0 + coef2·x_t
            double a = schedule.posteriorMeanCoef1(t) * pq[0] + schedule.posteriorMeanCoef2(t);
            double b = schedule.posteriorMeanCoef1(t) * pq[1];
            double sigma2 = t == 0 ? 0 : variance == VarianceType.FIXED_SMALL
                    ? schedule.posteriorVariance(t) : schedule.beta(t);
            m = a * m + b;
            v = a * a * v + sigma2;
        }
        return new double[] {m, v};
    }

    /** {mean, variance} after DDIM with η = 0 without clipping (Song et al. 2021, eq. 12). */
    static double[] ddim(DiffusionSchedule schedule, double mu, double s) {
        double m = 0;
        double v = 1;
        for (int t = schedule.timesteps() - 1; t >= 0; t--) {
            double alphaBar = schedule.alphaCumprod(t);
            double prev = schedule.alphaCumprodPrev(t);
            double k = Math.sqrt(1 - alphaBar) / (alphaBar * s * s + 1 - alphaBar);
            double[] pq = xStartEstimate(schedule, t, mu, s);
            // x_{t−1} = √ᾱ' x̂_0 + √(1 − ᾱ') ε̂ with ε̂ = k (x_t − √ᾱ μ)
            double a = Math.sqrt(prev) * pq[0] + Math.sqrt(1 - prev) * k;
            double b = Math.sqrt(prev) * pq[1] - Math.sqrt(1 - prev) * k * Math.sqrt(alphaBar) * mu;
            m = a * m + b;
            v = a * a * v;
        }
        return new double[] {m, v};
    }

    /** x̂_0 = (x_t − √(1 − ᾱ) ε̂)/√ᾱ = p x_t + q, as {p, q}. */
    private static double[] xStartEstimate(DiffusionSchedule schedule, int t, double mu, double s) {
        double alphaBar = schedule.alphaCumprod(t);
        double k = Math.sqrt(1 - alphaBar) / (alphaBar * s * s + 1 - alphaBar);
        double p = (1 - Math.sqrt(1 - alphaBar) * k) / Math.sqrt(alphaBar);
        double q = Math.sqrt(1 - alphaBar) * k * mu;
        return new double[] {p, q};
    }
}
