package io.difflab.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.difflab.api.UserError;

import java.util.SplittableRandom;

/**
 * Checks, before training, that the engine computes convolution gradients correctly on this
 * machine: float32 against float64 on small convolutions.
 *
 * <p>Why: PyTorch 2.7.1's oneDNN gives wrong float32 input-gradients for convolutions with few
 * channels with its AVX2 and AVX-512 kernels on some CPUs (measured on the AMD EPYC build
 * machines: relative errors of 5% to 65%, varying from run to run), which silently turns
 * training into NaNs. Its AVX kernels are right; the launcher and the test runner set
 * {@code ONEDNN_MAX_CPU_ISA=AVX} unless the user set it.
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

    /** The worst relative error of the input and weight gradients over a few channel layouts. */
    public static double worstRelativeError(NDManager parent) {
        double worst = 0;
        try (NDManager m = parent.newSubManager()) {
            SplittableRandom rng = new SplittableRandom(42);
            for (int[] channels : new int[][] {{1, 4}, {4, 1}, {4, 4}, {8, 3}}) {
                NDArray x = normal(m, rng, new Shape(4, channels[0], 9, 9));
                NDArray w = normal(m, rng, new Shape(channels[1], channels[0], 3, 3));
                NDArray r = normal(m, rng, new Shape(4, channels[1], 9, 9));
                double[] reference = gradientSums(x, w, r, DataType.FLOAT64);
                double[] single = gradientSums(x, w, r, DataType.FLOAT32);
                for (int i = 0; i < reference.length; i++) {
                    worst = Math.max(worst, Math.abs(single[i] - reference[i]) / Math.abs(reference[i]));
                }
            }
        }
        return worst;
    }

    private static double[] gradientSums(NDArray x0, NDArray w0, NDArray r, DataType type) {
        NDArray x = x0.toType(type, true).mul(1);
        NDArray w = w0.toType(type, true).mul(1);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine(x.getManager().getEngine().getEngineName())
                .newGradientCollector()) {
            NDArray out = x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1),
                    new Shape(1, 1), 1).singletonOrThrow();
            gc.backward(out.mul(r.toType(type, false)).sum());
        }
        NDArray gx = x.getGradient();
        NDArray gw = w.getGradient();
        gx.attach(x.getManager());
        gw.attach(x.getManager());
        // sums of the gradients weighted by a fixed pattern: any wrong element changes them
        return new double[] {weighted(gx, x0), weighted(gw, w0)};
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
