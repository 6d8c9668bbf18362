package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * Generated samples and the facts of how they were made.
 *
 * @param images the samples (N, C, H, W), unclipped, in the request's manager
 * @param facts  cost facts for the survey's Table 3: {@code sample.steps}, {@code sample.nfe} (estimator
 *               or transformer forward passes per sample), {@code sample.grad_evals},
 *               {@code sample.seconds} (per sample), {@code sample.peak_bytes}
 */
public record Generation(NDArray images, Map<String, Double> facts) {

    public Generation {
        facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    }
}
