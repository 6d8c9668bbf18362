package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ImageShape;

import java.util.List;
import java.util.Locale;

/**
 * Which pixels of an image inpainting keeps: a named region is repainted, the rest is known. The
 * mask is 1 on known pixels and 0 on the region to repaint, (1, 1, H, W), as GLIDE's inpainting
 * notebook masks the lower half of its source image.
 */
enum KnownPixels {
    /** Repaint the left half. */
    LEFT,
    /** Repaint the right half. */
    RIGHT,
    /** Repaint the top half. */
    TOP,
    /** Repaint the bottom half (GLIDE's notebook). */
    BOTTOM,
    /** Repaint the central square of half the side. */
    CENTER;

    /** The option values, lower-case. */
    static List<String> names() {
        return java.util.Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** The region {@code name} (lower-case) names. */
    static KnownPixels named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Whether pixel (row, column) of an H x W image is known. */
    boolean known(int row, int column, int height, int width) {
        return switch (this) {
            case LEFT -> column >= width / 2;
            case RIGHT -> column < width / 2;
            case TOP -> row >= height / 2;
            case BOTTOM -> row < height / 2;
            case CENTER -> row < height / 4 || row >= height - height / 4
                    || column < width / 4 || column >= width - width / 4;
        };
    }

    /** The mask (1, 1, H, W) float32: 1 on known pixels, on {@code manager}. */
    NDArray mask(NDManager manager, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        float[] m = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                m[r * w + c] = known(r, c, h, w) ? 1f : 0f;
            }
        }
        return manager.create(m, new Shape(1, 1, h, w)).toType(DataType.FLOAT32, false);
    }
}
