package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageShape;

import java.util.List;

/**
 * The low-resolution image an upsampler refines ({@link ConditionKind#LOW_RES_IMAGE}): an image
 * averaged over f x f blocks, (N, C, H/f, W/f). In training it is derived from each training image
 * ({@link #of}); at sampling it is encoded from {@code sample.reference_images} at the dataset's
 * shape (a folder, or {@code test:i,j,...}), so the upsampler refines the low-resolution versions of
 * those images. The U-Net upsamples it (nearest) and reads it as extra input channels beside x_t
 * (Nichol et al. 2021, sec. 3.2; glide-text2im upsamples bilinearly).
 */
final class LowResolution implements ConditionEncoder {

    /** The entry's name in a batch's condition. */
    static final String NAME = "low_res";

    private final ImageShape shape;
    private final int factor;

    /**
     * @param shape  the high-resolution images' shape
     * @param factor f, dividing their height and width
     */
    LowResolution(ImageShape shape, int factor) {
        if (shape.height() % factor != 0 || shape.width() % factor != 0) {
            throw new IllegalArgumentException("the factor " + factor + " does not divide the image side "
                    + shape.height() + "x" + shape.width());
        }
        this.shape = shape;
        this.factor = factor;
    }

    /** What the estimator is told: (C, H/f, W/f). */
    ConditionInput input() {
        return new ConditionInput(NAME, ConditionKind.LOW_RES_IMAGE,
                List.of(new Shape(shape.channels(), shape.height() / factor, shape.width() / factor)), 0);
    }

    /** The f x f block means of images (N, C, H, W). */
    NDArray of(NDArray images) {
        long[] s = images.getShape().getShape();
        return images.reshape(s[0], s[1], s[2] / factor, factor, s[3] / factor, factor)
                .mean(new int[] {5}).mean(new int[] {3});
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
        return ConditionKind.LOW_RES_IMAGE;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        return new NDList(of(KnownImageEncoder.stack(values, shape, "an upsampler refines", manager)));
    }
}
