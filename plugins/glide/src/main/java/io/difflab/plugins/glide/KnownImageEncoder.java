package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageShape;
import io.difflab.api.UserError;

import java.util.List;

/**
 * The images inpainting keeps pixels of, from {@code sample.reference_images} (a folder, or
 * {@code test:i,j,...}): (N, C, H, W) in [−1, 1] of {@link ConditionKind#IMAGE}. Every sample needs one.
 */
final class KnownImageEncoder implements ConditionEncoder {

    /** The entry's name in a batch's condition. */
    static final String NAME = "known_image";

    private final ImageShape shape;

    KnownImageEncoder(ImageShape shape) {
        this.shape = shape;
    }

    @Override
    public String name() {
        return NAME;
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
        return new NDList(stack(values, shape, "inpainting needs", manager));
    }

    /**
     * The reference images {@code values}, one per sample, as one (N, C, H, W) array.
     *
     * @param needs what needs them, the start of the message when a sample has none
     */
    static NDArray stack(List<?> values, ImageShape shape, String needs, NDManager manager) {
        int size = shape.channels() * shape.height() * shape.width();
        float[] all = new float[values.size() * size];
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof float[] image) || image.length != size) {
                throw new UserError(needs + " an image of shape " + shape + " for every sample (sample"
                        + ".reference_images: a folder, or test:i,j,...); sample " + i + " has none");
            }
            System.arraycopy(image, 0, all, i * size, size);
        }
        return manager.create(all, shape.batch(values.size()));
    }
}
