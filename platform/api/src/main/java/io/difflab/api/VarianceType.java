package io.difflab.api;

/** The reverse-process variance Σ_θ(x_t, t) a sampler uses. */
public enum VarianceType {
    /** Σ = β̃_t, the posterior variance (Ho et al. 2020, sec. 3.2). */
    FIXED_SMALL,
    /** Σ = β_t (Ho et al. 2020, sec. 3.2). */
    FIXED_LARGE,
    /** Σ = exp(v log β_t + (1−v) log β̃_t) with v predicted (Nichol &amp; Dhariwal 2021, eq. 15). */
    LEARNED_RANGE
}
