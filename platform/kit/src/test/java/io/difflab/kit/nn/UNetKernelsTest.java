package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused kernels ({@link UNetKernels}, PyTorch's native group norm and SiLU through TorchScript)
 * against the plain NDArray compositions ({@code -Ddifflab.kernels=plain}): the same values and
 * the same gradients with respect to every input and parameter, in a recorded graph (training)
 * and without one (sampling).
 */
class UNetKernelsTest {

    /** Relative to the largest magnitude of each compared array (float32 sums in another order). */
    private static final float TOLERANCE = 1e-5f;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        System.clearProperty("difflab.kernels");
        manager.close();
    }

    @Test
    void fusedGroupNormSiluMatchesPlainInValuesAndGradients() {
        GroupNorm norm = norm(12, 4);
        compare(List.of(new Shape(3, 12, 5, 6)), (ps, in) -> norm.forwardSilu(ps, in.get(0), true), norm);
        compare(List.of(new Shape(3, 12, 5, 6)), (ps, in) -> norm.forward(ps, in.get(0), true), norm);
    }

    @Test
    void fusedNormWithTimestepEmbeddingMatchesPlain() {
        GroupNorm norm = norm(8, 4);
        compare(List.of(new Shape(2, 8, 7, 7), new Shape(2, 8, 1, 1)),
                (ps, in) -> norm.forwardAddSilu(ps, in.get(0), in.get(1), true), norm);
        compare(List.of(new Shape(2, 8, 7, 7), new Shape(2, 16, 1, 1)),
                (ps, in) -> norm.forwardScaleShiftSilu(ps, in.get(0), in.get(1), true), norm);
    }

    @Test
    void fusedAttentionMatchesPlainInValuesAndGradients() {
        AttentionBlock attention = AttentionBlock.builder().setChannels(16).optNumHeads(2).optNormGroups(4).build();
        attention.initialize(manager, DataType.FLOAT32, new Shape(2, 16, 5, 5));
        randomize(attention);
        compare(List.of(new Shape(2, 16, 5, 5)), (ps, in) -> attention.forward(ps, in.get(0), null, true), attention);
    }

    @Test
    void fusedSiluMatchesPlain() {
        compare(List.of(new Shape(4, 33)), (ps, in) -> Silu.silu(in.get(0)), null);
    }

    @Test
    void fusedGroupNormIsGroupNormByHand() {
        GroupNorm norm = norm(4, 2);
        float[] x = new float[2 * 4 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.sin(1.3 * i) * (1 + i % 4) + 0.2 * i);
        }
        float[] gamma = norm.getParameters().get("gamma").getArray().toFloatArray();
        float[] beta = norm.getParameters().get("beta").getArray().toFloatArray();
        NDArray y = norm.forward(new ParameterStore(manager, false), manager.create(x, new Shape(2, 4, 3)), false);
        float[] got = y.toFloatArray();
        for (int start = 0; start < x.length; start += 6) { // group = 2 channels x 3 positions
            double mean = 0;
            double var = 0;
            for (int i = start; i < start + 6; i++) {
                mean += x[i] / 6.0;
            }
            for (int i = start; i < start + 6; i++) {
                var += (x[i] - mean) * (x[i] - mean) / 6.0;
            }
            for (int i = start; i < start + 6; i++) {
                int c = (i / 3) % 4;
                double want = (x[i] - mean) / Math.sqrt(var + UNetKernels.EPSILON) * gamma[c] + beta[c];
                assertEquals(want, got[i], 1e-4, "element " + i);
            }
        }
    }

    /** A norm with random (not identity) γ and β, so the affine's gradients are exercised. */
    private GroupNorm norm(int channels, int groups) {
        GroupNorm norm = GroupNorm.builder().setNumChannels(channels).optNumGroups(groups).build();
        norm.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 1, 1));
        randomize(norm);
        return norm;
    }

    /** Every parameter uniform in [−0.3, 0.7): no zero-initialised projection hides a gradient. */
    private static void randomize(Block block) {
        SplittableRandom rng = new SplittableRandom(7);
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray p = parameter.getValue().getArray();
            float[] v = new float[(int) p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextDouble() - 0.3);
            }
            p.set(v);
        }
    }

    /** Runs f fused and plain on the same random inputs; compares outputs and Σ r·f's gradients. */
    private void compare(List<Shape> shapes, Forward f, Block norm) {
        SplittableRandom rng = new SplittableRandom(11);
        List<float[]> inputs = new ArrayList<>();
        for (Shape s : shapes) {
            inputs.add(random(rng, s.size()));
        }
        List<float[]> fused = run(shapes, inputs, f, norm, "fused");
        List<float[]> plain = run(shapes, inputs, f, norm, "plain");
        assertEquals(plain.size(), fused.size());
        for (int i = 0; i < plain.size(); i++) {
            float tolerance = (float) (TOLERANCE * Math.max(1, maxAbs(plain.get(i))));
            assertArrayEquals(plain.get(i), fused.get(i), tolerance, "output/gradient " + i);
            assertTrue(maxAbs(plain.get(i)) > 1e-3, "output/gradient " + i + " is trivially zero");
        }
        // without a recorded graph (sampling) the fused path gives the same values
        System.setProperty("difflab.kernels", "fused");
        try (NDManager m = manager.newSubManager()) {
            NDList in = new NDList();
            for (int i = 0; i < shapes.size(); i++) {
                in.add(m.create(inputs.get(i), shapes.get(i)));
            }
            assertArrayEquals(plain.get(0), f.apply(new ParameterStore(m, false), in).toFloatArray(),
                    (float) (TOLERANCE * Math.max(1, maxAbs(plain.get(0)))));
        }
    }

    /** [output, ∂/∂input_0, ..., ∂/∂(each parameter of the block)] of Σ r·f with r a fixed pattern. */
    private List<float[]> run(List<Shape> shapes, List<float[]> inputs, Forward f, Block norm, String mode) {
        System.setProperty("difflab.kernels", mode);
        List<float[]> out = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            NDList in = new NDList();
            for (int i = 0; i < shapes.size(); i++) {
                NDArray x = m.create(inputs.get(i), shapes.get(i));
                x.setRequiresGradient(true);
                in.add(x);
            }
            List<NDArray> params = new ArrayList<>();
            if (norm != null) {
                for (Pair<String, Parameter> parameter : norm.getParameters()) {
                    NDArray p = parameter.getValue().getArray();
                    p.setRequiresGradient(true);
                    params.add(p);
                }
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(new ParameterStore(m, false), in);
                out.add(y.toFloatArray());
                NDArray r = m.create(pattern(y.size()), y.getShape());
                gc.backward(y.mul(r).sum());
            }
            for (NDArray x : in) {
                out.add(x.getGradient().toFloatArray());
            }
            for (NDArray p : params) {
                out.add(p.getGradient().toFloatArray());
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
        return out;
    }

    private static float[] random(SplittableRandom rng, long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * 1.5 + 0.3);
        }
        return v;
    }

    private static float[] pattern(long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.cos(0.37 * i);
        }
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** A forward under test, of the inputs in order. */
    private interface Forward {
        NDArray apply(ParameterStore ps, NDList inputs);
    }
}
