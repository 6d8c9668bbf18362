package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConvTest {

    private static final int N = 2;
    private static final int IN = 3;
    private static final int S = 4;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** Output and input gradient against the definition, for a narrow (padded on the CPU) and a wide convolution. */
    @ParameterizedTest(name = "{0} output channels")
    @ValueSource(ints = {2, 16})
    void outputAndInputGradientMatchTheDefinition(int out) {
        Conv conv = Conv.of(IN, out, 3, 1);
        conv.initialize(manager, DataType.FLOAT32, new Shape(N, IN, S, S));
        float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
        float[] b = conv.getParameters().get("bias").getArray().toFloatArray();
        NDArray x = manager.randomNormal(new Shape(N, IN, S, S));
        x.setRequiresGradient(true);
        NDArray g = manager.randomNormal(new Shape(N, out, S, S));
        float[] y;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray result = conv.forward(new ParameterStore(manager, false), x, true);
            assertEquals(new Shape(N, out, S, S), result.getShape());
            y = result.toFloatArray();
            collector.backward(result.mul(g).sum());
        }
        float[] xs = x.toFloatArray();
        float[] gs = g.toFloatArray();
        float[] expectedY = new float[N * out * S * S];
        float[] expectedGrad = new float[N * IN * S * S];
        // y[n,o,i,j] = b[o] + Σ_c,di,dj w[o,c,di,dj]·x[n,c,i+di−1,j+dj−1]; dL/dx accumulates g·w over the same pairs
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < S; i++) {
                    for (int j = 0; j < S; j++) {
                        int yi = ((n * out + o) * S + i) * S + j;
                        double sum = b[o];
                        for (int c = 0; c < IN; c++) {
                            for (int di = 0; di < 3; di++) {
                                for (int dj = 0; dj < 3; dj++) {
                                    int r = i + di - 1;
                                    int q = j + dj - 1;
                                    if (r < 0 || r >= S || q < 0 || q >= S) {
                                        continue;
                                    }
                                    int xi = ((n * IN + c) * S + r) * S + q;
                                    float wv = w[((o * IN + c) * 3 + di) * 3 + dj];
                                    sum += wv * xs[xi];
                                    expectedGrad[xi] += wv * gs[yi];
                                }
                            }
                        }
                        expectedY[yi] = (float) sum;
                    }
                }
            }
        }
        assertArrayEquals(expectedY, y, 1e-4f);
        assertArrayEquals(expectedGrad, x.getGradient().toFloatArray(), 1e-4f);
    }

    /**
     * With more than 16 input channels that are not a multiple of 16, oneDNN's AVX-512 kernels read
     * the channels they pad up to the next block from uninitialised memory: after memory that held
     * NaN is freed, the forward pass came out NaN in 9 or 10 trials of 10 (in = 20 and 40, 28x28;
     * the U-Net's 24-channel decoder convolution in sampling). The platform's Conv pads them itself.
     */
    @ParameterizedTest(name = "{0} input channels")
    @ValueSource(ints = {20, 24, 40})
    void inputChannelsThatOneDnnPadsGiveTheConvolutionAfterStaleNaNs(int in) {
        Conv conv = Conv.of(in, 16, 3, 1);
        Shape shape = new Shape(16, in, 28, 28);
        conv.initialize(manager, DataType.FLOAT32, shape);
        NDArray w64 = conv.getParameters().get("weight").getArray().toType(DataType.FLOAT64, true);
        NDArray b64 = conv.getParameters().get("bias").getArray().toType(DataType.FLOAT64, true);
        for (int trial = 0; trial < 5; trial++) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.randomNormal(shape);
                // float64 runs PyTorch's own (unblocked) kernel: the reference
                NDArray x64 = x.toType(DataType.FLOAT64, true);
                float[] expected = x64.getNDArrayInternal().convolution(x64, w64, b64, new Shape(1, 1),
                        new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow().toType(DataType.FLOAT32, false)
                        .toFloatArray();
                leaveNaNsInFreedMemory(sub);
                float[] y = conv.forward(new ParameterStore(sub, false), x, false).toFloatArray();
                assertArrayEquals(expected, y, 1e-4f, "trial " + trial);
            }
        }
    }

    /** Fills and frees arrays of NaN, so that memory handed out next holds NaN. */
    private static void leaveNaNsInFreedMemory(NDManager m) {
        for (int i = 0; i < 20; i++) {
            try (NDArray junk = m.full(new Shape(1 << 18), Float.NaN)) {
                junk.sum().getFloat();
            }
        }
    }
}
