package io.difflab.kit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a scalar that is safe inside an autograd graph on DJL's PyTorch engine.
 *
 * <p>Why: DJL 0.36 computes {@code x.mul(2.0)} (likewise {@code div}, {@code pow},
 * {@code maximum}, {@code minimum} with a number) by wrapping the number in a 0-dim tensor that
 * borrows a Java direct buffer ({@code torch::from_blob}, no copy), then closes it at once. The
 * backward of mul, div, pow and maximum reads that tensor again, after the garbage collector may
 * have freed the buffer and the allocator handed its memory to something else: gradients then
 * come out scaled by garbage (measured here: d(3x)/dx = 5e-34 in 20 of 20 trials after a
 * collection), which shows up as rare, irreproducible infinite gradient norms and NaN losses.
 * The scalars made here own their memory in the engine, so autograd keeps them alive.
 * (add and sub with a number are safe: their backward does not read it.)
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-dim array holding {@code value}, with {@code like}'s data type, device and manager, owned by the engine. */
    public static NDArray of(NDArray like, double value) {
        // computed in place right now, so DJL's borrowed temporary is read before it is released
        return like.getManager().ones(new Shape(), like.getDataType(), like.getDevice()).muli(value);
    }

    /** x·value. */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /** x / value. */
    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    /** x^exponent. */
    public static NDArray pow(NDArray x, double exponent) {
        return x.pow(of(x, exponent));
    }

    /** max(x, value) elementwise. */
    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(of(x, value));
    }
}
