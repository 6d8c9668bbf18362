package io.difflab.kit.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.UserError;
import io.difflab.kit.nn.Conv;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Checks, before training, that the engine computes convolution gradients correctly on this
 * machine: float32 against float64 on small convolutions.
 *
 * <p>Why: PyTorch 2.7.1's oneDNN gives wrong float32 input-gradients for convolutions with few
 * output channels with its AVX2 and AVX-512 kernels on some CPUs (measured on the AMD EPYC build
 * machines: relative errors of 5% to 65%, varying from run to run), which silently turns
 * training into NaNs. The platform's {@link Conv} block widens such convolutions to 16 outputs
 * on the CPU; this check proves the narrow cases on the machine at hand, and when they are wrong
 * asks for {@code ONEDNN_MAX_CPU_ISA=AVX}, whose kernels are right (about half as fast).
 * (A quickstart divergence once blamed on these kernels was DJL's scalar bug, see {@code Scalars}.)
 */
public final class EngineSelfCheck {

    /** Largest relative error of a float32 gradient sum accepted against float64. */
    static final double TOLERANCE = 1e-4;

    private EngineSelfCheck() {
    }

    /** Runs the check on {@code manager}'s device; throws a {@link UserError} naming the fix when it fails. */
    public static void verify(NDManager manager) {
        double err = worstRelativeError(manager);
        if (!(err <= TOLERANCE)) {
            throw new UserError(String.format("the PyTorch engine computes wrong convolution gradients on this "
                    + "machine (relative error %.2g against float64): training would diverge. Set "
                    + "ONEDNN_MAX_CPU_ISA=AVX (or SSE41) in the environment and start again "
                    + "(currently ONEDNN_MAX_CPU_ISA=%s)", err, System.getenv("ONEDNN_MAX_CPU_ISA")));
        }
    }

    /**
     * The worst relative error of the input gradient of the platform's convolution block
     * ({@link Conv}, which widens narrow convolutions on the CPU) in float32 against a float64
     * convolution, over channel layouts that trigger the fault.
     */
    public static double worstRelativeError(NDManager parent) {
        double worst = 0;
        try (NDManager m = parent.newSubManager()) {
            SplittableRandom rng = new SplittableRandom(42);
            // narrow outputs, and inputs above 16 channels that oneDNN pads to a multiple of 16 (see Conv)
            for (int[] channels : new int[][] {{1, 4}, {4, 1}, {4, 4}, {8, 3}, {16, 16}, {24, 16}, {40, 8}}) {
                Conv conv = Conv.of(channels[0], channels[1], 3, 1);
                conv.initialize(m, DataType.FLOAT32, new Shape(4, channels[0], 9, 9));
                NDArray w = normal(m, rng, new Shape(channels[1], channels[0], 3, 3));
                NDArray b = normal(m, rng, new Shape(channels[1]));
                // intern, not set(Buffer): DJL's set and copyTo make libtorch print a deprecation warning
                conv.getParameters().get("weight").getArray().intern(w.toType(DataType.FLOAT32, false).duplicate());
                conv.getParameters().get("bias").getArray().intern(b.toType(DataType.FLOAT32, false).duplicate());
                NDArray x = normal(m, rng, new Shape(4, channels[0], 9, 9));
                NDArray r = normal(m, rng, new Shape(4, channels[1], 9, 9));
                double reference = inputGradient(x, DataType.FLOAT64, r, in -> in.getNDArrayInternal().convolution(in,
                        w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
                double platform = inputGradient(x, DataType.FLOAT32, r,
                        in -> conv.forward(new ParameterStore(m, false), in, true));
                worst = Math.max(worst, Math.abs(platform - reference) / Math.abs(reference));
            }
        }
        return worst;
    }

    /** Σ pattern·∂(Σ r·f(x))/∂x for x in {@code type}: any wrong element of the gradient changes it. */
    private static double inputGradient(NDArray x0, DataType type, NDArray r, UnaryOperator<NDArray> f) {
        NDArray x = x0.toType(type, true).mul(1);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine(x.getManager().getEngine().getEngineName())
                .newGradientCollector()) {
            gc.backward(f.apply(x).mul(r.toType(type, false)).sum());
        }
        NDArray gx = x.getGradient();
        gx.attach(x.getManager());
        return weighted(gx, x0);
    }

    private static double weighted(NDArray g, NDArray pattern) {
        return g.toType(DataType.FLOAT64, false).mul(pattern.toType(DataType.FLOAT64, false)).sum().getDouble();
    }

    private static NDArray normal(NDManager m, SplittableRandom rng, Shape shape) {
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return m.create(v, shape);
    }
}
