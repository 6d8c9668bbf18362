package io.difflab.datasets.shapes.evaluator;

import io.difflab.api.Split;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.ShapesGenerator;
import io.difflab.datasets.shapes.ShapesSplit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneGridTest {

    /** Logits that say exactly what the targets say: ±8 for the labels, the logit of each offset. */
    private static float[] perfectOutputs(SceneTargets t, int n) {
        int plane = SceneGrid.CELLS * SceneGrid.CELLS;
        float[] out = new float[n * SceneGrid.CHANNELS * plane];
        int shapes = SceneGrid.COLOUR - SceneGrid.SHAPE;
        int colours = SceneGrid.SIZE - SceneGrid.COLOUR;
        int sizes = SceneGrid.OFFSET - SceneGrid.SIZE;
        for (int i = 0; i < n; i++) {
            int base = i * SceneGrid.CHANNELS * plane;
            for (int cell = 0; cell < plane; cell++) {
                out[base + cell] = t.objectness()[i * plane + cell] > 0 ? 8 : -8;
                for (int k = 0; k < shapes; k++) {
                    out[base + (SceneGrid.SHAPE + k) * plane + cell] = 8 * t.shape()[(i * shapes + k) * plane + cell];
                }
                for (int k = 0; k < colours; k++) {
                    out[base + (SceneGrid.COLOUR + k) * plane + cell] = 8 * t.colour()[(i * colours + k) * plane + cell];
                }
                for (int k = 0; k < sizes; k++) {
                    out[base + (SceneGrid.SIZE + k) * plane + cell] = 8 * t.size()[(i * sizes + k) * plane + cell];
                }
                for (int a = 0; a < 2; a++) {
                    double p = Math.min(1 - 1e-6, Math.max(1e-6, t.offset()[(i * 2 + a) * plane + cell]));
                    out[base + (SceneGrid.OFFSET + a) * plane + cell] = (float) Math.log(p / (1 - p));
                }
            }
        }
        return out;
    }

    @Test
    void decodingTheTargetsGivesBackEveryScene() {
        ShapesSplit split = ShapesGenerator.generate(3, Split.TRAIN, 2000, 32);
        SceneTargets targets = SceneTargets.of(split.scenes());
        List<Scene> decoded = SceneGrid.decode(perfectOutputs(targets, split.size()), split.size());
        int duplicated = 0;
        for (int i = 0; i < split.size(); i++) {
            Scene truth = split.scenes()[i];
            assertEquals(truth.size(), decoded.get(i).size(), () -> truth + " vs " + decoded);
            SceneObject[] paired = SceneAccuracy.pair(truth.objects(), decoded.get(i).objects());
            for (int k = 0; k < truth.size(); k++) {
                SceneObject t = truth.objects().get(k);
                SceneObject p = paired[k];
                assertEquals(List.of(t.shape(), t.colour(), t.size()), List.of(p.shape(), p.colour(), p.size()));
                // a neighbour cell's clamped offset is off by at most a quarter cell
                assertTrue(t.distanceTo(p) <= SceneTargets.BORDER_SHARE * Math.sqrt(2) / SceneGrid.CELLS + 1e-5);
            }
            int cells = 0;
            for (int c = 0; c < 64; c++) {
                cells += targets.objectness()[i * 64 + c] > 0 ? 1 : 0;
            }
            duplicated += cells > truth.size() ? 1 : 0;
        }
        assertTrue(duplicated > 100, "objects near a cell border are reported by two cells: " + duplicated);
    }

    @Test
    void theObjectWeightsSumToOne() {
        ShapesSplit split = ShapesGenerator.generate(0, Split.TRAIN, 64, 32);
        float sum = 0;
        for (float w : SceneTargets.of(split.scenes()).objectWeight()) {
            sum += w;
        }
        assertEquals(1f, sum, 1e-5f);
    }
}
