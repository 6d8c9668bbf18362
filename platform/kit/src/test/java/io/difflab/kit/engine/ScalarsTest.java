package io.difflab.kit.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scalar factors in an autograd graph keep their value until backward, even when the garbage
 * collector runs and Java direct buffers are recycled in between (where DJL's own
 * {@code x.mul(3)} hands backward a freed scalar).
 */
class ScalarsTest {

    /** The gradient of Σ f(x) at x, with a churn between forward and backward. */
    private static float[] gradient(NDManager m, float[] at, UnaryOperator<NDArray> f) {
        NDArray x = m.create(at);
        x.setRequiresGradient(true);
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x).sum();
            BufferChurn.run(m);
            c.backward(y);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void gradientsThroughScalarFactorsSurviveACollection() {
        float[] at = {0.5f, 2f, 3f};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 5; trial++) {
                assertArrayEquals(new float[] {3f, 3f, 3f}, gradient(m, at, x -> Scalars.mul(x, 3)), "d(3x)/dx");
                assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, gradient(m, at, x -> Scalars.div(x, 4)));
                // d(x³)/dx = 3x²
                assertArrayEquals(new float[] {0.75f, 12f, 27f}, gradient(m, at, x -> Scalars.pow(x, 3)), 1e-5f);
                assertArrayEquals(new float[] {0f, 1f, 1f}, gradient(m, at, x -> Scalars.maximum(x, 1)));
            }
        }
    }

    @Test
    void theScalarHasTheTypeAndDeviceOfItsArrayAndItsFullPrecision() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x64 = m.ones(new Shape(2), DataType.FLOAT64);
            NDArray s = Scalars.of(x64, 0.044715);
            assertEquals(DataType.FLOAT64, s.getDataType());
            assertEquals(new Shape(), s.getShape());
            assertEquals(x64.getDevice(), s.getDevice());
            assertEquals(0.044715, s.getDouble(), 0.0);
            assertEquals(DataType.FLOAT32, Scalars.mul(m.ones(new Shape(2)), 0.5).getDataType());
        }
    }
}
