package io.difflab.host.run;

import ai.djl.ndarray.NDArray;
import io.difflab.api.ConditionFields;

import java.util.List;
import java.util.Map;

/**
 * A run's generated samples with what each was asked for and how they were made.
 *
 * @param images    (N, C, H, W), or {@code null} for a model that generates none
 * @param requested the raw condition values per field, N each
 * @param facts     the generation's cost facts ({@code sample.*})
 */
public record Samples(NDArray images, Map<String, List<Object>> requested, Map<String, Double> facts) {

    /** No samples: what a model that generates none has. */
    public static final Samples NONE = new Samples(null, Map.of(), Map.of());

    /** The class each sample was asked for, or {@code null} when no labels were. */
    public int[] requestedLabels() {
        List<Object> labels = requested.get(ConditionFields.LABEL);
        return labels == null ? null : labels.stream().mapToInt(l -> ((Number) l).intValue()).toArray();
    }

    /** The caption each sample was asked for, or {@code null} when none were. */
    public List<String> requestedCaptions() {
        List<Object> captions = requested.get(ConditionFields.CAPTION);
        return captions == null ? null : captions.stream().map(String::valueOf).toList();
    }
}
