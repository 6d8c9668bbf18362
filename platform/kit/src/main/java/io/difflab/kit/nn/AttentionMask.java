package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.kit.engine.Scalars;

/**
 * Additive attention biases (Vaswani et al. 2017, sec. 3.2.3: illegal connections set to −∞
 * before the softmax), with a large finite {@link #BLOCKED} instead of −∞: a row whose every key
 * is blocked (a query in an all-padding caption, the ∅ of a token condition) then attends
 * uniformly instead of dividing 0 by 0, and its output stays finite; a row with any allowed key
 * gives the blocked ones exactly zero weight in float32 (exp(−10⁹) underflows).
 */
public final class AttentionMask {

    /** The bias of a blocked query-key pair. */
    public static final float BLOCKED = -1e9f;

    private AttentionMask() {
    }

    /** (1, 1, L, L): query i may attend to keys j ≤ i (CLIP's and GLIDE's causal text transformer). */
    public static NDArray causal(NDManager manager, int length, DataType dataType) {
        float[] bias = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                bias[i * length + j] = BLOCKED;
            }
        }
        return manager.create(bias, new Shape(1, 1, length, length)).toType(dataType, false);
    }

    /** (N, 1, 1, L): every query may attend to the keys whose {@code mask} (N, L) is 1, none to padding. */
    public static NDArray padding(NDArray mask, DataType dataType) {
        Shape shape = mask.getShape();
        NDArray keep = mask.toType(dataType, false);
        NDArray blocked = Scalars.mul(keep.neg().add(1f), BLOCKED);
        return blocked.reshape(shape.get(0), 1, 1, shape.get(1));
    }
}
