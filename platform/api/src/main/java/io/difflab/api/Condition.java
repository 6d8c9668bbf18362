package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * What a sample is conditioned on: class labels (N, int32) and named extras (text tokens,
 * CLIP embeddings, reference images) that later model families add. A label of
 * {@link #NULL_LABEL} asks for the null condition ∅ on that sample alone.
 */
public record Condition(NDArray labels, Map<String, NDArray> extras) {

    /**
     * The label that stands for ∅ (no class) at the denoiser, so one batch can mix conditional and
     * unconditional samples (classifier-free guidance); adapters turn it into the network's own
     * null label ({@code numClasses}, see {@link EstimatorNetwork}).
     */
    public static final int NULL_LABEL = -1;

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
