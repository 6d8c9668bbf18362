package io.difflab.datasets.shapes;

import java.util.List;

/**
 * What an image shows: its objects, in no particular order, on a plain black background.
 *
 * @param objects the objects
 */
public record Scene(List<SceneObject> objects) {

    public Scene {
        objects = List.copyOf(objects);
    }

    /** The number of objects. */
    public int size() {
        return objects.size();
    }

    /** How many objects have this colour and shape (and this size unless {@code size} is null). */
    public int count(Colour colour, ShapeKind shape, ObjectSize size) {
        int n = 0;
        for (SceneObject o : objects) {
            if (o.matches(colour, shape, size)) {
                n++;
            }
        }
        return n;
    }

    /** The objects with this colour and shape (and this size unless {@code size} is null). */
    public List<SceneObject> matching(Colour colour, ShapeKind shape, ObjectSize size) {
        return objects.stream().filter(o -> o.matches(colour, shape, size)).toList();
    }

    /** Whether two objects come closer than {@code gap} (in image sides). */
    public boolean hasOverlap(double gap) {
        for (int i = 0; i < objects.size(); i++) {
            for (int j = i + 1; j < objects.size(); j++) {
                if (objects.get(i).overlaps(objects.get(j), gap)) {
                    return true;
                }
            }
        }
        return false;
    }
}
