package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.ObjectSize;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneLayout;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.ShapeKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The scene evaluator's output layout, as in YOLO (Redmon et al. 2016, §2): the image is cut into
 * {@value #CELLS}×{@value #CELLS} cells and the cell holding an object's centre predicts it: an
 * objectness logit, shape, colour and size logits, and the centre's offset inside the cell (two
 * logits whose sigmoids are the offsets in [0, 1)); a cell next to a centre that lies near its
 * border reports the object too (see {@link SceneTargets#BORDER_SHARE}). Two objects of a scene
 * never share a cell: their centres are at least 8 + 8 + 1 pixels of a 32-pixel side apart (see
 * {@code SceneLayout}).
 */
public final class SceneGrid {

    /** Cells per side. */
    public static final int CELLS = 8;
    static final int OBJECTNESS = 0;
    static final int SHAPE = 1;
    static final int COLOUR = SHAPE + ShapeKind.values().length;
    static final int SIZE = COLOUR + Colour.values().length;
    static final int OFFSET = SIZE + ObjectSize.values().length;
    /** Output channels per cell. */
    public static final int CHANNELS = OFFSET + 2;
    /**
     * Two reported centres closer than this (in image sides) are one object: half the closest two
     * objects of a scene ever are (two small ones, 8 + 8 + 1 pixels of 32 apart).
     */
    static final double SUPPRESSION_DISTANCE = (2 * ObjectSize.SMALL.radius() + SceneLayout.GAP) / 2;

    private SceneGrid() { }

    /**
     * The scenes a batch of network outputs shows: (n, CHANNELS, CELLS, CELLS) values, row-major,
     * read as an object in every cell whose objectness logit is positive (probability above 1/2),
     * most confident first, except where its centre comes within {@link #SUPPRESSION_DISTANCE} of
     * an object already read: non-maximum suppression (Redmon et al. 2016, §2.4), for an object
     * whose centre lies on a cell border and that both cells report.
     */
    public static List<Scene> decode(float[] outputs, int n) {
        int plane = CELLS * CELLS;
        int per = CHANNELS * plane;
        if (outputs.length != n * per) {
            throw new IllegalArgumentException(outputs.length + " outputs for " + n + " images");
        }
        List<Scene> scenes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int base = i * per;
            List<Integer> cells = new ArrayList<>();
            for (int cell = 0; cell < plane; cell++) {
                if (outputs[base + OBJECTNESS * plane + cell] > 0) {
                    cells.add(cell);
                }
            }
            cells.sort((a, b) -> Float.compare(outputs[base + b], outputs[base + a]));
            List<SceneObject> objects = new ArrayList<>();
            for (int cell : cells) {
                SceneObject o = object(outputs, base + cell, cell, plane);
                if (objects.stream().noneMatch(p -> p.distanceTo(o) < SUPPRESSION_DISTANCE)) {
                    objects.add(o);
                }
            }
            scenes.add(new Scene(objects));
        }
        return scenes;
    }

    /** The object the cell at {@code at} (its objectness output) reports. */
    private static SceneObject object(float[] outputs, int at, int cell, int plane) {
        ShapeKind shape = ShapeKind.values()[argmax(outputs, at, SHAPE, ShapeKind.values().length, plane)];
        Colour colour = Colour.values()[argmax(outputs, at, COLOUR, Colour.values().length, plane)];
        ObjectSize size = ObjectSize.values()[argmax(outputs, at, SIZE, ObjectSize.values().length, plane)];
        double x = (cell % CELLS + sigmoid(outputs[at + OFFSET * plane])) / CELLS;
        double y = (cell / CELLS + sigmoid(outputs[at + (OFFSET + 1) * plane])) / CELLS;
        return new SceneObject(shape, colour, size, Math.min(x, Math.nextDown(1.0)), Math.min(y, Math.nextDown(1.0)));
    }

    private static int argmax(float[] outputs, int at, int first, int count, int plane) {
        int best = 0;
        for (int k = 1; k < count; k++) {
            if (outputs[at + (first + k) * plane] > outputs[at + (first + best) * plane]) {
                best = k;
            }
        }
        return best;
    }

    private static double sigmoid(float z) {
        return 1 / (1 + Math.exp(-z));
    }
}
