package io.difflab.plugins.clip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContrastiveLossTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void orthonormalPairsGiveTheClosedForm() {
        // x̂ = ŷ = I (2x2), scale e^t: logits = e^t·I; each row and column is a softmax over (e^t, 0), so
        // CE = log(1 + e^(−e^t)) in both directions
        for (double t : new double[] {0, Math.log(2), Math.log(1 / 0.07)}) {
            NDArray eye = manager.eye(2);
            NDArray logits = ContrastiveLoss.logits(eye.mul(3f), eye, manager.create((float) t));
            double expected = Math.log(1 + Math.exp(-Math.exp(t)));
            assertEquals(expected, ContrastiveLoss.loss(logits).getFloat(), 1e-5, "t = " + t);
        }
    }

    @Test
    void anAsymmetricBatchAveragesBothDirections() {
        // logits L = [[2, 0, 1], [0, 1, 2], [1, 1, 3]] given directly
        NDArray logits = manager.create(new float[] {2, 0, 1, 0, 1, 2, 1, 1, 3}, new Shape(3, 3));
        double[][] l = {{2, 0, 1}, {0, 1, 2}, {1, 1, 3}};
        double rows = 0;
        double columns = 0;
        for (int i = 0; i < 3; i++) {
            double r = 0;
            double c = 0;
            for (int j = 0; j < 3; j++) {
                r += Math.exp(l[i][j]);
                c += Math.exp(l[j][i]);
            }
            rows += Math.log(r) - l[i][i];
            columns += Math.log(c) - l[i][i];
        }
        assertEquals((rows + columns) / 6, ContrastiveLoss.loss(logits).getFloat(), 1e-5);
        assertEquals(2.0 / 3, ContrastiveLoss.imageToTextAccuracy(logits).getFloat(), 1e-6,
                "rows 0 and 2 pick their own column, row 1 picks column 2");
    }

    @Test
    void theLogitScaleIsClippedAt100() {
        NDArray eye = manager.eye(2);
        NDArray logits = ContrastiveLoss.logits(eye, eye, manager.create((float) Math.log(1000)));
        assertEquals(100, logits.getFloat(0, 0), 1e-3);
        // no gradient reaches a clipped scale; below the clip d loss / d t = e^t · d loss / d logits
        NDArray t = manager.create((float) Math.log(1000));
        t.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(ContrastiveLoss.loss(ContrastiveLoss.logits(eye, eye, t)));
        }
        assertEquals(0, t.getGradient().getFloat(), 0);
        NDArray low = manager.create(0f);
        low.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(ContrastiveLoss.loss(ContrastiveLoss.logits(eye, eye, low)));
        }
        // loss(t) = log(1 + e^(−e^t)): d/dt = −e^t·e^(−e^t)/(1 + e^(−e^t)) = −1/(e + 1) at t = 0
        assertEquals(-1 / (Math.E + 1), low.getGradient().getFloat(), 1e-5);
    }
}
