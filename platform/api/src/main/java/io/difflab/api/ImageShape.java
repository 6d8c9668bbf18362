package io.difflab.api;

import ai.djl.ndarray.types.Shape;

/** The shape of one image: channels, height, width. */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
        }
    }

    /** Values per image: C·H·W. */
    public int size() {
        return channels * height * width;
    }

    /** The DJL shape of a batch of {@code n} images, (N, C, H, W). */
    public Shape batch(long n) {
        return new Shape(n, channels, height, width);
    }
}
