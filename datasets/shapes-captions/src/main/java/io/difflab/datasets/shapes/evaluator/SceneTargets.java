package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.ObjectSize;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.ShapeKind;

/**
 * What the evaluator should output for a batch of scenes, laid out like its outputs (n, ·, CELLS,
 * CELLS), with per-cell weights that already hold each term's normalisation, so the loss needs no
 * scalar arithmetic inside the autograd graph.
 *
 * @param objectness    1 in the cells that report an object (its centre's, and a neighbour's near a border), else 0
 * @param shape         one-hot shapes in object cells (n, shapes, C, C)
 * @param colour        one-hot colours in object cells (n, colours, C, C)
 * @param size          one-hot sizes in object cells (n, sizes, C, C)
 * @param offset        each centre's offset inside its cell, in [0, 1) (n, 2, C, C)
 * @param objectWeight  1 / (number of object cells in the batch) in object cells, else 0 (n, 1, C, C)
 */
record SceneTargets(float[] objectness, float[] shape, float[] colour, float[] size, float[] offset,
                    float[] objectWeight) {

    /**
     * Cells within this share of a cell's side from an object's centre also predict it: a centre
     * near a border is on either side of it as far as the network can tell, so both cells learn to
     * report it and non-maximum suppression keeps one (see {@link SceneGrid#decode}). Never two
     * objects in one cell: a centre that close to a border and one in a neighbouring cell are at most
     * √((1 + 1/4)² + (1 + 1/4)²) cells = 7.1 pixels of 32 apart, and objects are at least 9 apart.
     */
    static final double BORDER_SHARE = 0.25;

    /** The targets of {@code scenes}. */
    static SceneTargets of(Scene[] scenes) {
        int n = scenes.length;
        int plane = SceneGrid.CELLS * SceneGrid.CELLS;
        int shapes = ShapeKind.values().length;
        int colours = Colour.values().length;
        int sizes = ObjectSize.values().length;
        float[] objectness = new float[n * plane];
        float[] shape = new float[n * shapes * plane];
        float[] colour = new float[n * colours * plane];
        float[] size = new float[n * sizes * plane];
        float[] offset = new float[n * 2 * plane];
        float[] weight = new float[n * plane];
        int assigned = 0;
        for (int i = 0; i < n; i++) {
            for (SceneObject o : scenes[i].objects()) {
                double gx = o.x() * SceneGrid.CELLS;
                double gy = o.y() * SceneGrid.CELLS;
                for (int row : cellsNear(gy)) {
                    for (int column : cellsNear(gx)) {
                        int cell = row * SceneGrid.CELLS + column;
                        objectness[i * plane + cell] = 1;
                        weight[i * plane + cell] = 1;
                        shape[(i * shapes + o.shape().ordinal()) * plane + cell] = 1;
                        colour[(i * colours + o.colour().ordinal()) * plane + cell] = 1;
                        size[(i * sizes + o.size().ordinal()) * plane + cell] = 1;
                        offset[(i * 2) * plane + cell] = (float) Math.max(0, Math.min(1, gx - column));
                        offset[(i * 2 + 1) * plane + cell] = (float) Math.max(0, Math.min(1, gy - row));
                        assigned++;
                    }
                }
            }
        }
        for (int k = 0; k < weight.length; k++) {
            weight[k] /= assigned;
        }
        return new SceneTargets(objectness, shape, colour, size, offset, weight);
    }

    /** The rows (or columns) of grid coordinate {@code g}: its own, and a neighbour within {@link #BORDER_SHARE}. */
    private static int[] cellsNear(double g) {
        int own = Math.min(SceneGrid.CELLS - 1, (int) Math.floor(g));
        double inside = g - own;
        if (inside < BORDER_SHARE && own > 0) {
            return new int[] {own - 1, own};
        }
        if (inside > 1 - BORDER_SHARE && own < SceneGrid.CELLS - 1) {
            return new int[] {own, own + 1};
        }
        return new int[] {own};
    }
}
