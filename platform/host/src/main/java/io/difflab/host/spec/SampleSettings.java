package io.difflab.host.spec;

import io.difflab.api.Config;

import java.util.List;

/**
 * The spec's {@code sample} section.
 *
 * @param count           images to generate
 * @param batchSize       images per sampling batch
 * @param labels          the class labels to ask for, cycled over the samples (empty: every class in turn)
 * @param prompts         the captions to ask for, cycled over the samples (empty: the test split's captions)
 * @param referenceImages a folder of reference images, or {@code test:i,j,...} (indices into the test split);
 *                        empty for none
 */
public record SampleSettings(int count, int batchSize, List<Integer> labels, List<String> prompts,
                             String referenceImages) {

    public SampleSettings {
        labels = List.copyOf(labels);
        prompts = List.copyOf(prompts);
    }

    static SampleSettings of(Config c) {
        return new SampleSettings(c.getInt("count"), c.getInt("batch_size"), c.getIntList("labels"),
                c.getStringList("prompts"), c.getString("reference_images"));
    }
}
