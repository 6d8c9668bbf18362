package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextTransformerTest {

    private static final int V = 11;
    private static final int L = 6;
    private static final int D = 8;

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    private TextTransformer transformer(boolean causal, TextTransformer.Pooling pooling) {
        TextTransformer t = TextTransformer.builder().setVocabularySize(V).setContextLength(L).setWidth(D)
                .optLayers(2).optHeads(2).optCausal(causal).optPooling(pooling).build();
        Engine.getInstance().setRandomSeed(5);
        t.initialize(manager, DataType.FLOAT32, new Shape(1, L), new Shape(1, L));
        return t;
    }

    private NDList run(TextTransformer t, int[] ids, int[] mask) {
        int n = ids.length / L;
        return t.forward(ps, manager.create(ids, new Shape(n, L)), manager.create(mask, new Shape(n, L)), false);
    }

    /** Row {@code r}, position {@code i} of states (N, L, D). */
    private static float[] state(NDArray states, int r, int i) {
        return states.get(r + "," + i + ",:").toFloatArray();
    }

    private static final int[] IDS = {2, 5, 7, 9, 3, 0};
    private static final int[] MASK = {1, 1, 1, 1, 1, 0};

    @Test
    void causalStatesDoNotSeeLaterTokens() {
        TextTransformer t = transformer(true, TextTransformer.Pooling.END_TOKEN);
        int[] changed = IDS.clone();
        changed[3] = 4; // a later token changes
        NDArray a = run(t, IDS, MASK).get(0);
        NDArray b = run(t, changed, MASK).get(0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(state(a, 0, i), state(b, 0, i), 1e-6f, "position " + i + " saw a later token");
        }
        assertTrue(maxDiff(state(a, 0, 3), state(b, 0, 3)) > 1e-4, "the changed position itself must change");
        assertTrue(maxDiff(state(a, 0, 4), state(b, 0, 4)) > 1e-4, "a later position sees the change");
    }

    @Test
    void bidirectionalStatesSeeLaterTokens() {
        TextTransformer t = transformer(false, TextTransformer.Pooling.END_TOKEN);
        int[] changed = IDS.clone();
        changed[3] = 4;
        NDArray a = run(t, IDS, MASK).get(0);
        NDArray b = run(t, changed, MASK).get(0);
        assertTrue(maxDiff(state(a, 0, 0), state(b, 0, 0)) > 1e-4, "bidirectional: the first token sees the last");
    }

    @Test
    void paddingIsNeverAttendedTo() {
        for (boolean causal : new boolean[] {true, false}) {
            TextTransformer t = transformer(causal, TextTransformer.Pooling.END_TOKEN);
            int[] changed = IDS.clone();
            changed[5] = 8; // the padded position holds another id
            NDList a = run(t, IDS, MASK);
            NDList b = run(t, changed, MASK);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(state(a.get(0), 0, i), state(b.get(0), 0, i), 1e-6f, "causal " + causal + " pos " + i);
            }
            assertArrayEquals(a.get(1).toFloatArray(), b.get(1).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void poolsAtTheEndTokenOrTheLastPosition() {
        int[] ids = {2, 5, 3, 0, 0, 0, 2, 5, 7, 9, 6, 3};
        int[] mask = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1};
        NDList end = run(transformer(true, TextTransformer.Pooling.END_TOKEN), ids, mask);
        assertArrayEquals(state(end.get(0), 0, 2), end.get(1).get("0,:").toFloatArray(), 1e-6f);
        assertArrayEquals(state(end.get(0), 1, 5), end.get(1).get("1,:").toFloatArray(), 1e-6f);
        NDList last = run(transformer(true, TextTransformer.Pooling.LAST), ids, mask);
        assertArrayEquals(state(last.get(0), 0, 5), last.get(1).get("0,:").toFloatArray(), 1e-6f);
        assertEquals(new Shape(2, L, D), end.get(0).getShape());
        assertEquals(new Shape(2, D), end.get(1).getShape());
    }

    @Test
    void anAllPaddingCaptionIsFinite() {
        for (TextTransformer.Pooling pooling : TextTransformer.Pooling.values()) {
            for (boolean causal : new boolean[] {true, false}) {
                TextTransformer t = transformer(causal, pooling);
                NDArray ids = manager.zeros(new Shape(2, L), DataType.INT32);
                NDArray mask = manager.zeros(new Shape(2, L), DataType.INT32);
                for (var p : t.getParameters()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
                NDList out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    out = t.forward(new ParameterStore(manager, false), ids, mask, true);
                    gc.backward(out.get(0).sum().add(out.get(1).sum()));
                }
                assertTrue(allFinite(out.get(0).toFloatArray()), "states of ∅, causal " + causal);
                assertTrue(allFinite(out.get(1).toFloatArray()), "pooled ∅, " + pooling);
                for (var p : t.getParameters()) {
                    assertTrue(allFinite(p.getValue().getArray().getGradient().toFloatArray()), p.getKey());
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // float64 throughout: d(Σ w·pooled)/d(position embedding) against central differences
        TextTransformer t = TextTransformer.builder().setVocabularySize(V).setContextLength(L).setWidth(D)
                .optLayers(1).optHeads(2).build();
        Engine.getInstance().setRandomSeed(9);
        t.initialize(manager, DataType.FLOAT64, new Shape(1, L), new Shape(1, L));
        NDArray ids = manager.create(new int[] {2, 5, 7, 3, 0, 0, 2, 9, 9, 9, 4, 3}, new Shape(2, L));
        NDArray mask = manager.create(new int[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, L));
        NDArray weights = manager.randomNormal(new Shape(2, D)).toType(DataType.FLOAT64, false);
        NDArray positions = t.getParameters().get("position_embedding").getArray();
        positions.setRequiresGradient(true);
        double[] analytic;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pooled = t.forward(new ParameterStore(manager, false), ids, mask, true).get(1);
            gc.backward(pooled.mul(weights).sum());
            analytic = positions.getGradient().toDoubleArray();
        }
        double h = 1e-6;
        double largest = 0;
        for (int index : new int[] {0, 3, D + 1, 2 * D + 5, 3 * D + 2, 4 * D + 7}) {
            double plus = objective(t, ids, mask, weights, positions, index, h);
            double minus = objective(t, ids, mask, weights, positions, index, -h);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[index], 1e-6 + 1e-5 * Math.abs(numeric), "position-embedding entry " + index);
            largest = Math.max(largest, Math.abs(numeric));
        }
        assertTrue(largest > 1e-3, "the checked entries must matter: " + largest);
    }

    private double objective(TextTransformer t, NDArray ids, NDArray mask, NDArray weights, NDArray positions,
                             int index, double h) {
        double[] values = positions.toDoubleArray();
        double original = values[index];
        values[index] = original + h;
        positions.set(values);
        double out = t.forward(new ParameterStore(manager, false), ids, mask, false).get(1).mul(weights).sum()
                .getDouble();
        values[index] = original;
        positions.set(values);
        return out;
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextTransformer.builder().setVocabularySize(V)
                .setContextLength(L).setWidth(6).optHeads(4).build());
        TextTransformer t = transformer(true, TextTransformer.Pooling.END_TOKEN);
        NDArray shortRow = manager.create(new int[] {1, 2, 3}, new Shape(1, 3));
        assertThrows(IllegalArgumentException.class, () -> t.forward(ps, shortRow, shortRow, false));
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
