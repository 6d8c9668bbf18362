package io.difflab.datasets.shapes;

import java.util.Objects;

/**
 * One object of a scene.
 *
 * @param shape  its shape
 * @param colour its colour
 * @param size   its size
 * @param x      its centre's column as a fraction of the image width, in [0, 1), left to right
 * @param y      its centre's row as a fraction of the image height, in [0, 1), top to bottom
 */
public record SceneObject(ShapeKind shape, Colour colour, ObjectSize size, double x, double y) {

    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        if (!(x >= 0 && x < 1 && y >= 0 && y < 1)) {
            throw new IllegalArgumentException("object centre (" + x + ", " + y + ") outside the image");
        }
    }

    /** Whether it has this colour and shape, and this size unless {@code size} is null. */
    public boolean matches(Colour colour, ShapeKind shape, ObjectSize size) {
        return this.colour == colour && this.shape == shape && (size == null || this.size == size);
    }

    /** The distance between the two centres, in image sides. */
    public double distanceTo(SceneObject other) {
        return Math.hypot(x - other.x, y - other.y);
    }

    /** Whether their bounding discs come closer than {@code gap} (in image sides). */
    public boolean overlaps(SceneObject other, double gap) {
        double dx = x - other.x;
        double dy = y - other.y;
        double d = size.radius() + other.size.radius() + gap;
        return dx * dx + dy * dy < d * d;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %s %s at (%.3f, %.3f)", size.word(), colour.word(),
                shape.word(), x, y);
    }
}
