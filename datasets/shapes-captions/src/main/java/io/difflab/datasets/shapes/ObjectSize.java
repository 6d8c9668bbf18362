package io.difflab.datasets.shapes;

import java.util.Locale;

/**
 * The two object sizes, as radii in units of the image side (so a scene draws alike at 32 and 64
 * pixels): at 32×32 a small object spans 8 pixels, a large one 12.
 */
public enum ObjectSize {

    SMALL(4.0 / 32),
    LARGE(6.0 / 32);

    private final double radius;

    ObjectSize(double radius) {
        this.radius = radius;
    }

    /** The radius bounding the object's shape, as a fraction of the image side. */
    public double radius() {
        return radius;
    }

    /** The word a caption uses, e.g. {@code small}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The size called {@code word}, or null. */
    public static ObjectSize fromWord(String word) {
        for (ObjectSize size : values()) {
            if (size.word().equals(word)) {
                return size;
            }
        }
        return null;
    }
}
