package io.difflab.api;

import java.util.Map;

/**
 * The raw condition fields the platform knows: what a dataset item may carry and what a spec's
 * {@code sample} section may ask for. Datasets may add fields of their own (e.g. a scene's ground
 * truth); a field's value type is part of its definition.
 */
public final class ConditionFields {

    /** A class label, an {@link Integer} in [0, classes); spec: {@code sample.labels}. */
    public static final String LABEL = "label";

    /** A caption, a {@link String}; spec: {@code sample.prompts} (a list, or a text file of one per line). */
    public static final String CAPTION = "caption";

    /**
     * A reference image, a {@code float[]} of C·H·W values in [−1, 1], channel-major, at the dataset's
     * shape; spec: {@code sample.reference_images} (a folder of images, or indices into the test split).
     */
    public static final String REFERENCE_IMAGE = "reference_image";

    /** The value type of each field above. */
    public static final Map<String, Class<?>> TYPES = Map.of(LABEL, Integer.class, CAPTION, String.class,
            REFERENCE_IMAGE, float[].class);

    /** The {@code sample} key that supplies each field above. */
    public static final Map<String, String> SAMPLE_KEYS = Map.of(LABEL, "sample.labels", CAPTION, "sample.prompts",
            REFERENCE_IMAGE, "sample.reference_images");

    private ConditionFields() {
    }
}
