package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestepEmbeddingTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void sinusoidsMatchTheClosedForm() {
        float[] t = {0f, 1f, 10f, 999.5f};
        int dim = 8;
        float[] emb = TimestepEmbedding.sinusoidal(manager.create(t), dim, 10_000).toFloatArray();
        for (int n = 0; n < t.length; n++) {
            for (int i = 0; i < dim / 2; i++) {
                double freq = Math.exp(-Math.log(10_000) * i / (dim / 2.0));
                assertEquals(Math.cos(t[n] * freq), emb[n * dim + i], 2e-3, "cos n=" + n + " i=" + i);
                assertEquals(Math.sin(t[n] * freq), emb[n * dim + dim / 2 + i], 2e-3, "sin n=" + n + " i=" + i);
            }
        }
        // t = 0: cos terms 1, sin terms 0; frequency 0 is 1 rad per step
        assertEquals(1f, emb[0]);
        assertEquals(0f, emb[4]);
        assertEquals(Math.sin(1), emb[dim + 4], 1e-6);
    }

    @Test
    void oddWidthIsPaddedWithZero() {
        NDArray emb = TimestepEmbedding.sinusoidal(manager.create(new float[] {3f, 7f}), 7, 10_000);
        assertEquals(new Shape(2, 7), emb.getShape());
        assertEquals(0f, emb.getFloat(0, 6));
        assertEquals(0f, emb.getFloat(1, 6));
        assertEquals(Math.sin(7 * Math.exp(-Math.log(10_000) / 3)), emb.getFloat(1, 4), 1e-5);
    }

    @Test
    void integerTimestepsAreAccepted() {
        NDArray emb = TimestepEmbedding.sinusoidal(manager.create(new int[] {5}), 4, 10_000);
        assertEquals(Math.cos(5), emb.getFloat(0, 0), 1e-6);
    }

    @Test
    void mlpMapsToTheEmbeddingWidth() {
        TimestepEmbedding block = new TimestepEmbedding(16, 64);
        block.initialize(manager, DataType.FLOAT32, new Shape(3));
        NDArray out = block.forward(new ParameterStore(manager, false), manager.create(new float[] {1, 50, 900}), false);
        assertEquals(new Shape(3, 64), out.getShape());
    }
}
