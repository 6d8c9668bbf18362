package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * What a sample is conditioned on: class labels (N, int32) and named extras (text tokens,
 * CLIP embeddings, reference images) that later model families add.
 */
public record Condition(NDArray labels, Map<String, NDArray> extras) {

    private static final Condition NONE = new Condition(null, Map.of());

    public Condition {
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }

    /** Unconditional generation. */
    public static Condition none() {
        return NONE;
    }

    /** Conditioned on class labels only. */
    public static Condition labels(NDArray labels) {
        return new Condition(labels, Map.of());
    }

    public boolean hasLabels() {
        return labels != null;
    }
}
