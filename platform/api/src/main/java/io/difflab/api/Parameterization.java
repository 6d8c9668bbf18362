package io.difflab.api;

/** What a noise estimator's first output predicts, decided once per network. */
public enum Parameterization {
    /** The noise ε added to x_0 (Ho et al. 2020). */
    EPSILON,
    /** The clean image x_0. */
    X0,
    /** v = √ᾱ_t ε − √(1−ᾱ_t) x_0 (Salimans &amp; Ho 2022). */
    V
}
