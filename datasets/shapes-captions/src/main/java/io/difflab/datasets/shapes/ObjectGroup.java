package io.difflab.datasets.shapes;

import java.util.Objects;

/**
 * One noun phrase of a caption: {@code count} objects of one colour and shape, and of one size
 * when the caption names it ("two small red circles").
 *
 * @param count  how many, 1 to {@value #MAX_COUNT}
 * @param colour their colour
 * @param shape  their shape
 * @param size   their size, or null when the caption leaves it open
 */
public record ObjectGroup(int count, Colour colour, ShapeKind shape, ObjectSize size) {

    /** The most objects a scene holds. */
    public static final int MAX_COUNT = 4;

    public ObjectGroup {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(shape, "shape");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a group holds 1 to " + MAX_COUNT + " objects, not " + count);
        }
    }

    /** Whether {@code object} is one of this group's kind (colour, shape, and size if named). */
    public boolean describes(SceneObject object) {
        return object.matches(colour, shape, size);
    }

    /** How many objects of {@code scene} are of this group's kind. */
    public int countIn(Scene scene) {
        return scene.count(colour, shape, size);
    }
}
