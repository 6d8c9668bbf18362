package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.difflab.kit.engine.Scalars;

/**
 * The context every attention layer of a U-Net appends to its own keys and values (GLIDE's
 * {@code encoder_out}, Nichol et al. 2021, sec. 3.1): L token states of width D and, per token,
 * the additive bias its attention logits get, 0 where the mask lets attention read the token and
 * {@value #MASKED} where it does not. A masked token's softmax weight is then exactly 0, so its
 * state counts for nothing; the layer's own H·W keys are never masked, so even a row whose tokens
 * are all masked (the empty context ∅) has a finite softmax.
 *
 * @param states (N, L, D) float32, zero at masked positions
 * @param bias   (N, L) float32, 0 or {@value #MASKED}
 */
public record ContextTokens(NDArray states, NDArray bias) {

    /** The logit bias of a masked token: far below any logit, so exp underflows to exactly 0. */
    public static final float MASKED = -1e9f;

    /**
     * The context of {@code states} under {@code mask}: states at masked positions replaced by zeros
     * (so not even a NaN there can reach the output), and the logit bias; made in the managers of
     * the inputs, as inside a forward's {@link ForwardScope}.
     *
     * @param states (N, L, D) float32
     * @param mask   (N, L), nonzero where attention may read the token
     */
    public static ContextTokens of(NDArray states, NDArray mask) {
        if (states.getShape().dimension() != 3 || mask.getShape().dimension() != 2
                || states.getShape().get(0) != mask.getShape().get(0)
                || states.getShape().get(1) != mask.getShape().get(1)) {
            throw new IllegalArgumentException("context states must be (N, L, D) and their mask (N, L), got "
                    + states.getShape() + " and " + mask.getShape());
        }
        NDArray read = mask.toType(DataType.FLOAT32, false).neq(0);
        NDArray kept = NDArrays.where(read.expandDims(2).broadcast(states.getShape()), states, states.zerosLike());
        // 0 where read, MASKED elsewhere: (read − 1)·(−MASKED)
        NDArray bias = Scalars.mul(read.toType(DataType.FLOAT32, false).sub(1f), -MASKED);
        return new ContextTokens(kept, bias);
    }

    /** L: the number of tokens. */
    public long length() {
        return states.getShape().get(1);
    }

    /** D: the width of each token state. */
    public long width() {
        return states.getShape().get(2);
    }
}
