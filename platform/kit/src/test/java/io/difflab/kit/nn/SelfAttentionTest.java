package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SelfAttentionTest {

    private static final int D = 4;
    private static final int H = 2;
    private static final int L = 3;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void twoHeadsWithCausalAndPaddingBiasMatchTheDefinition() {
        SelfAttention attention = new SelfAttention(D, H, 0.5);
        Engine.getInstance().setRandomSeed(3);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, L, D));
        // non-zero biases, so the test sees them
        attention.getParameters().forEach(p -> {
            if (p.getKey().endsWith("bias")) {
                p.getValue().getArray().set(manager.randomNormal(p.getValue().getArray().getShape()).toFloatArray());
            }
        });
        float[] x = manager.randomNormal(new Shape(1, L, D)).toFloatArray();
        NDArray mask = manager.create(new int[] {1, 1, 0}, new Shape(1, L));
        NDArray bias = AttentionMask.padding(mask, DataType.FLOAT32)
                .add(AttentionMask.causal(manager, L, DataType.FLOAT32));
        float[] out = attention.forward(new ParameterStore(manager, false), manager.create(x, new Shape(1, L, D)),
                bias, false).toFloatArray();

        float[] wIn = param(attention, "in_projection_weight");
        float[] bIn = param(attention, "in_projection_bias");
        float[] wOut = param(attention, "out_projection_weight");
        float[] bOut = param(attention, "out_projection_bias");
        double[][] qkv = new double[L][3 * D];
        for (int t = 0; t < L; t++) {
            for (int j = 0; j < 3 * D; j++) {
                qkv[t][j] = bIn[j];
                for (int c = 0; c < D; c++) {
                    qkv[t][j] += wIn[j * D + c] * x[t * D + c];
                }
            }
        }
        int d = D / H;
        boolean[] keyAllowed = {true, true, false};
        double[][] merged = new double[L][D];
        for (int head = 0; head < H; head++) {
            for (int i = 0; i < L; i++) {
                double[] w = new double[L];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < L; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += qkv[i][head * d + c] * qkv[j][D + head * d + c];
                    }
                    w[j] = dot / Math.sqrt(d) + (j > i || !keyAllowed[j] ? AttentionMask.BLOCKED : 0);
                    max = Math.max(max, w[j]);
                }
                double sum = 0;
                for (int j = 0; j < L; j++) {
                    w[j] = Math.exp(w[j] - max);
                    sum += w[j];
                }
                for (int c = 0; c < d; c++) {
                    double a = 0;
                    for (int j = 0; j < L; j++) {
                        a += w[j] / sum * qkv[j][2 * D + head * d + c];
                    }
                    merged[i][head * d + c] = a;
                }
            }
        }
        float[] expected = new float[L * D];
        for (int t = 0; t < L; t++) {
            for (int j = 0; j < D; j++) {
                double y = bOut[j];
                for (int c = 0; c < D; c++) {
                    y += wOut[j * D + c] * merged[t][c];
                }
                expected[t * D + j] = (float) y;
            }
        }
        assertArrayEquals(expected, out, 1e-5f);
    }

    @Test
    void aFullyBlockedRowAttendsUniformly() {
        SelfAttention attention = new SelfAttention(D, 1, 0.5);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, L, D));
        NDArray x = manager.randomNormal(new Shape(1, L, D));
        NDArray none = AttentionMask.padding(manager.zeros(new Shape(1, L), DataType.INT32), DataType.FLOAT32);
        float[] out = attention.forward(new ParameterStore(manager, false), x, none, false).toFloatArray();
        for (float v : out) {
            assertEquals(true, Float.isFinite(v));
        }
        // every query averages the same values: all rows equal
        assertArrayEquals(java.util.Arrays.copyOfRange(out, 0, D), java.util.Arrays.copyOfRange(out, D, 2 * D), 1e-5f);
    }

    private static float[] param(SelfAttention block, String suffix) {
        return block.getParameters().stream().filter(p -> p.getKey().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError(suffix)).getValue().getArray().toFloatArray();
    }
}
