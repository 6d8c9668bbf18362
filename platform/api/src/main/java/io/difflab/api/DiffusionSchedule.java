package io.difflab.api;

import java.util.Arrays;

/**
 * An immutable Gaussian diffusion schedule: β_t for t = 0..T−1 (0-based; the papers' t = 1..T)
 * and every coefficient derived from it, computed once in double precision.
 *
 * <p>A respaced schedule (a subset of the original timesteps) is again a schedule, with its own
 * β recomputed from the kept ᾱ and a {@link #timestepMap()} back to the original timesteps, which
 * is what the network is conditioned on (Nichol &amp; Dhariwal 2021, sec. 4).
 */
public final class DiffusionSchedule {

    private final double[] betas;
    private final int[] timestepMap;
    private final double[] alphas;
    private final double[] alphasCumprod;
    private final double[] alphasCumprodPrev;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;

    private DiffusionSchedule(double[] betas, int[] timestepMap) {
        int n = betas.length;
        if (n == 0) {
            throw new IllegalArgumentException("a schedule needs at least one step");
        }
        if (timestepMap.length != n) {
            throw new IllegalArgumentException("timestep map length " + timestepMap.length + " != " + n);
        }
        for (int t = 0; t < n; t++) {
            if (!(betas[t] > 0 && betas[t] <= 1)) {
                throw new IllegalArgumentException("beta[" + t + "] = " + betas[t] + " is not in (0, 1]");
            }
        }
        this.betas = betas.clone();
        this.timestepMap = timestepMap.clone();
        alphas = new double[n];
        alphasCumprod = new double[n];
        alphasCumprodPrev = new double[n];
        posteriorVariance = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        double cumprod = 1.0;
        for (int t = 0; t < n; t++) {
            alphas[t] = 1.0 - betas[t];
            alphasCumprodPrev[t] = cumprod;
            cumprod *= alphas[t];
            alphasCumprod[t] = cumprod;
            // Ho et al. 2020, eq. 7: β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t
            posteriorVariance[t] = betas[t] * (1.0 - alphasCumprodPrev[t]) / (1.0 - cumprod);
            // Ho et al. 2020, eq. 7: μ̃_t = coef1 · x_0 + coef2 · x_t
            posteriorMeanCoef1[t] = betas[t] * Math.sqrt(alphasCumprodPrev[t]) / (1.0 - cumprod);
            posteriorMeanCoef2[t] = (1.0 - alphasCumprodPrev[t]) * Math.sqrt(alphas[t]) / (1.0 - cumprod);
        }
        // β̃_0 = 0, so its log is clipped to log β̃_1 (as in the reference implementation)
        posteriorLogVarianceClipped = new double[n];
        for (int t = 0; t < n; t++) {
            double v = t == 0 ? (n > 1 ? posteriorVariance[1] : betas[0]) : posteriorVariance[t];
            posteriorLogVarianceClipped[t] = Math.log(v);
        }
    }

    /** A schedule of {@code betas.length} steps; the timestep map is the identity. */
    public static DiffusionSchedule fromBetas(double[] betas) {
        int[] identity = new int[betas.length];
        Arrays.setAll(identity, i -> i);
        return new DiffusionSchedule(betas, identity);
    }

    /**
     * Keeps only the given original timesteps (strictly increasing, within 0..T−1). The new
     * β_i = 1 − ᾱ_{k_i} / ᾱ_{k_{i−1}}, so the kept ᾱ are exactly the original ones.
     */
    public DiffusionSchedule respace(int[] keptTimesteps) {
        int[] kept = keptTimesteps.clone();
        double[] newBetas = new double[kept.length];
        double last = 1.0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= betas.length || (i > 0 && kept[i] <= kept[i - 1])) {
                throw new IllegalArgumentException("kept timesteps must be strictly increasing in [0, "
                        + (betas.length - 1) + "]: " + Arrays.toString(kept));
            }
            newBetas[i] = 1.0 - alphasCumprod[kept[i]] / last;
            last = alphasCumprod[kept[i]];
        }
        int[] map = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            map[i] = timestepMap[kept[i]];
        }
        return new DiffusionSchedule(newBetas, map);
    }

    /** T, the number of steps. */
    public int timesteps() {
        return betas.length;
    }

    /** For each step, the timestep of the original (un-respaced) schedule the network sees. */
    public int[] timestepMap() {
        return timestepMap.clone();
    }

    /** Whether this is a subset of a longer schedule. */
    public boolean isRespaced() {
        return timestepMap[timestepMap.length - 1] != timestepMap.length - 1;
    }

    public double beta(int t) { return betas[t]; }

    public double alpha(int t) { return alphas[t]; }

    /** ᾱ_t = Π_{s≤t} α_s. */
    public double alphaCumprod(int t) { return alphasCumprod[t]; }

    /** ᾱ_{t−1}, with ᾱ_{−1} = 1. */
    public double alphaCumprodPrev(int t) { return alphasCumprodPrev[t]; }

    /** ᾱ_{t+1}, with ᾱ_T = 0. */
    public double alphaCumprodNext(int t) { return t + 1 < betas.length ? alphasCumprod[t + 1] : 0.0; }

    public double sqrtAlphaCumprod(int t) { return Math.sqrt(alphasCumprod[t]); }

    public double sqrtOneMinusAlphaCumprod(int t) { return Math.sqrt(1.0 - alphasCumprod[t]); }

    /** 1/√ᾱ_t, to recover x_0 from x_t and ε. */
    public double sqrtRecipAlphaCumprod(int t) { return Math.sqrt(1.0 / alphasCumprod[t]); }

    /** √(1/ᾱ_t − 1), to recover x_0 from x_t and ε. */
    public double sqrtRecipm1AlphaCumprod(int t) { return Math.sqrt(1.0 / alphasCumprod[t] - 1.0); }

    /** β̃_t, the variance of q(x_{t−1} | x_t, x_0); β̃_0 = 0. */
    public double posteriorVariance(int t) { return posteriorVariance[t]; }

    /** log β̃_t with t = 0 clipped to log β̃_1. */
    public double posteriorLogVarianceClipped(int t) { return posteriorLogVarianceClipped[t]; }

    /** Coefficient of x_0 in the posterior mean μ̃_t. */
    public double posteriorMeanCoef1(int t) { return posteriorMeanCoef1[t]; }

    /** Coefficient of x_t in the posterior mean μ̃_t. */
    public double posteriorMeanCoef2(int t) { return posteriorMeanCoef2[t]; }

    /** A copy of β. */
    public double[] betas() { return betas.clone(); }

    /** A copy of ᾱ. */
    public double[] alphasCumprod() { return alphasCumprod.clone(); }
}
