package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.UserError;

/**
 * Images of the platform (N, C, H, W) in [−1, 1] as a CLIP takes them: grey repeated to RGB,
 * upscaled to R×R by repeating pixels (R a whole multiple of H; differentiable, so CLIP guidance
 * reaches the pixels), then OpenAI's per-channel normalisation of RGB in [0, 1].
 */
public final class ClipInput {

    private ClipInput() {
    }

    /**
     * CLIP's input of {@code images} for input resolution {@code resolution}.
     *
     * @throws UserError when the images are not square or R is no whole multiple of their side
     */
    public static NDArray of(NDArray images, int resolution) {
        Shape shape = images.getShape();
        long side = shape.get(2);
        if (shape.get(3) != side || resolution % side != 0) {
            throw new UserError("a CLIP of input resolution " + resolution + " cannot read " + shape.get(2) + "x"
                    + shape.get(3) + " images: its side must divide " + resolution);
        }
        long factor = resolution / side;
        NDArray x = factor == 1 ? images : images.repeat(2, factor).repeat(3, factor);
        return ClipNetwork.clipInput(x);
    }

    /** The inverse of the normalisation: CLIP's input back to RGB in [−1, 1], at its resolution. */
    static NDArray toPlatform(NDArray clipInput) {
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            // x = (y·std + mean)·2 − 1
            scale[c] = 2 * ClipNetwork.STD[c];
            shift[c] = 2 * ClipNetwork.MEAN[c] - 1;
        }
        NDArray a = clipInput.getManager().create(scale, new Shape(1, 3, 1, 1)).toType(clipInput.getDataType(), false);
        NDArray b = clipInput.getManager().create(shift, new Shape(1, 3, 1, 1)).toType(clipInput.getDataType(), false);
        return clipInput.mul(a).add(b);
    }
}
