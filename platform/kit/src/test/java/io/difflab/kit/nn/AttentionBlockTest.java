package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttentionBlockTest {

    private static final int C = 4;
    private static final int T = 4; // 2x2 positions

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    private AttentionBlock initialised(AttentionBlock.Builder builder) {
        AttentionBlock block = builder.build();
        UNetFixture.randomizeZeroInitialised(block);
        Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, C, 2, 2));
        return block;
    }

    private float[] param(AttentionBlock block, String suffix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError(suffix);
    }

    @Test
    void twoHeadsMatchAttentionComputedByHand() {
        AttentionBlock block = initialised(AttentionBlock.builder().setChannels(C).optNumHeads(2).optNormGroups(2));
        float[] x = manager.randomNormal(new Shape(1, C, 2, 2)).toFloatArray();
        float[] out = block.forward(ps, manager.create(x, new Shape(1, C, 2, 2)), null, false).toFloatArray();

        // group norm, 2 groups of 2 channels, then the per-channel γ, β
        float[] gamma = param(block, "norm_gamma");
        float[] beta = param(block, "norm_beta");
        double[][] n = new double[C][T];
        for (int g = 0; g < 2; g++) {
            double mean = 0;
            double sq = 0;
            for (int i = g * 2 * T; i < (g + 1) * 2 * T; i++) {
                mean += x[i] / (2.0 * T);
            }
            for (int i = g * 2 * T; i < (g + 1) * 2 * T; i++) {
                sq += (x[i] - mean) * (x[i] - mean) / (2.0 * T);
            }
            for (int i = g * 2 * T; i < (g + 1) * 2 * T; i++) {
                n[i / T][i % T] = (x[i] - mean) / Math.sqrt(sq + 1e-5) * gamma[i / T] + beta[i / T];
            }
        }
        float[] w = param(block, "qkv_weight");
        float[] b = param(block, "qkv_bias");
        double[][] qkv = new double[3 * C][T];
        for (int j = 0; j < 3 * C; j++) {
            for (int t = 0; t < T; t++) {
                qkv[j][t] = b[j];
                for (int c = 0; c < C; c++) {
                    qkv[j][t] += w[j * C + c] * n[c][t];
                }
            }
        }
        // legacy head order: head h owns rows [6h, 6h+6) = q (2 rows), k (2), v (2)
        int ch = 2;
        double[][] attended = new double[C][T];
        for (int h = 0; h < 2; h++) {
            int base = h * 3 * ch;
            for (int t = 0; t < T; t++) {
                double[] logits = new double[T];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < T; s++) {
                    for (int c = 0; c < ch; c++) {
                        logits[s] += qkv[base + c][t] * qkv[base + ch + c][s] / Math.sqrt(ch);
                    }
                    max = Math.max(max, logits[s]);
                }
                double z = 0;
                for (int s = 0; s < T; s++) {
                    logits[s] = Math.exp(logits[s] - max);
                    z += logits[s];
                }
                for (int c = 0; c < ch; c++) {
                    for (int s = 0; s < T; s++) {
                        attended[h * ch + c][t] += logits[s] / z * qkv[base + 2 * ch + c][s];
                    }
                }
            }
        }
        float[] pw = param(block, "proj_out_weight");
        float[] pb = param(block, "proj_out_bias");
        float[] expected = new float[C * T];
        for (int o = 0; o < C; o++) {
            for (int t = 0; t < T; t++) {
                double v = x[o * T + t] + pb[o];
                for (int c = 0; c < C; c++) {
                    v += pw[o * C + c] * attended[c][t];
                }
                expected[o * T + t] = (float) v;
            }
        }
        assertArrayEquals(expected, out, 1e-4f);
    }

    @Test
    void rescaleDividesTheResidualSumByRootTwo() {
        NDArray x = manager.randomNormal(new Shape(1, C, 2, 2));
        AttentionBlock.Builder builder = AttentionBlock.builder().setChannels(C).optNumHeads(2);
        float[] expected = initialised(builder).forward(ps, x, null, false).div(Math.sqrt(2)).toFloatArray();
        float[] rescaled = initialised(builder.optRescaleSkip(true)).forward(ps, x, null, false).toFloatArray();
        assertArrayEquals(expected, rescaled, 1e-5f);
    }

    @Test
    void headChannelsOverrideTheHeadCount() {
        assertEquals(4, AttentionBlock.builder().setChannels(16).optNumHeads(1).optNumHeadChannels(4).build()
                .getNumHeads());
        assertThrows(IllegalArgumentException.class,
                () -> AttentionBlock.builder().setChannels(16).optNumHeadChannels(5).build());
        assertThrows(IllegalArgumentException.class,
                () -> AttentionBlock.builder().setChannels(16).optNumHeads(3).build());
    }
}
