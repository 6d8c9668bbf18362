package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageShape;

import java.util.List;

/**
 * Reference images ({@code sample.reference_images}: a folder, or indices into the test split) as
 * one (N, C, H, W) array in [−1, 1] of {@link ConditionKind#IMAGE}; a {@code null} value is ∅, the
 * zero (mid-grey) image.
 */
public final class ReferenceImageEncoder implements ConditionEncoder {

    private final ImageShape shape;

    /** @param shape the dataset's image shape, which every reference has */
    public ReferenceImageEncoder(ImageShape shape) {
        this.shape = shape;
    }

    @Override
    public String name() {
        return SemanticScore.REFERENCE;
    }

    @Override
    public String field() {
        return ConditionFields.REFERENCE_IMAGE;
    }

    @Override
    public ConditionKind kind() {
        return ConditionKind.IMAGE;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        int size = shape.size();
        float[] pixels = new float[values.size() * size];
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                continue;
            }
            if (!(v instanceof float[] image) || image.length != size) {
                throw new IllegalArgumentException("row " + i + ": a reference image is " + shape.channels() + "x"
                        + shape.height() + "x" + shape.width() + " floats, got " + describe(v));
            }
            System.arraycopy(image, 0, pixels, i * size, size);
        }
        return new NDList(manager.create(pixels, shape.batch(values.size())));
    }

    private static String describe(Object v) {
        return v instanceof float[] f ? f.length + " floats" : v.getClass().getSimpleName();
    }
}
