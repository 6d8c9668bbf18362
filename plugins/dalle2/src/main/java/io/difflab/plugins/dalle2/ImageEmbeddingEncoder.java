package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionKind;

import java.util.List;

/**
 * The decoder's CLIP image embedding z_i as an {@link ConditionKind#EMBEDDING} (N, E): rows given as
 * {@code float[E]} under the field {@value Dalle2Model#IMAGE_EMBEDDING_FIELD}, which no dataset carries:
 * in training the decoder's objective computes z_i from the batch's images with the frozen CLIP
 * ({@link DecoderObjective}), at sampling the prior or a reference image supplies it. A {@code null} row
 * is ∅, the zero embedding.
 */
final class ImageEmbeddingEncoder implements ConditionEncoder {

    private final int embeddingSize;

    /** @param embeddingSize E */
    ImageEmbeddingEncoder(int embeddingSize) {
        this.embeddingSize = embeddingSize;
    }

    @Override
    public String name() {
        return Dalle2Model.IMAGE_EMBEDDING;
    }

    @Override
    public String field() {
        return Dalle2Model.IMAGE_EMBEDDING_FIELD;
    }

    @Override
    public ConditionKind kind() {
        return ConditionKind.EMBEDDING;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        float[] rows = new float[values.size() * embeddingSize];
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                continue;
            }
            if (!(v instanceof float[] z) || z.length != embeddingSize) {
                throw new IllegalArgumentException("row " + i + ": a CLIP image embedding is " + embeddingSize
                        + " floats, got " + (v instanceof float[] f ? f.length + " floats" : v.getClass().getSimpleName()));
            }
            System.arraycopy(z, 0, rows, i * embeddingSize, embeddingSize);
        }
        return new NDList(manager.create(rows, new Shape(values.size(), embeddingSize)));
    }
}
