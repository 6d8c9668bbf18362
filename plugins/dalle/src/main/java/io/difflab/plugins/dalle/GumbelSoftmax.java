package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import io.difflab.kit.engine.Scalars;

/**
 * The Gumbel-softmax relaxation of a categorical sample (Jang et al. 2017; Maddison et al. 2017),
 * which DALL-E's dVAE trains through (Ramesh et al. 2021, sec. 2.1): with g_k = −log(−log u_k),
 * u_k uniform, argmax_k(l_k + g_k) is distributed as softmax(l) (the Gumbel-max trick), and
 * y = softmax((l + g)/τ) is a differentiable sample on the simplex that tends to that one-hot
 * sample as τ → 0. The straight-through variant uses the one-hot sample in the forward pass and
 * the relaxed sample's gradient in the backward pass (Jang et al. 2017, sec. 2.2). Categories lie
 * along one axis of the logits.
 */
public final class GumbelSoftmax {

    /** Uniform draws are kept in [TINY, 1 − TINY] so that the Gumbel transform stays finite in float32. */
    static final float TINY = 1e-7f;

    private GumbelSoftmax() {
    }

    /** Gumbel(0, 1) noise −log(−log u) from uniform values u in [0, 1), any shape. */
    public static NDArray gumbel(NDArray uniform) {
        return uniform.clip(TINY, 1 - TINY).log().neg().log().neg();
    }

    /** The categorical sample argmax(l + g) along {@code axis}, as indices (the Gumbel-max trick). */
    public static NDArray hardSample(NDArray logits, NDArray gumbel, int axis) {
        return logits.add(gumbel).argMax(axis);
    }

    /** The relaxed sample softmax((l + g)/τ) along {@code axis}. */
    public static NDArray relaxed(NDArray logits, NDArray gumbel, double temperature, int axis) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the relaxation temperature must be positive, got " + temperature);
        }
        return Scalars.div(logits.add(gumbel), temperature).softmax(axis);
    }

    /**
     * The straight-through sample of a relaxed one y: the one-hot vector of argmax y in the forward
     * pass, y's gradient in the backward pass (one_hot − stop_gradient(y) + y).
     */
    public static NDArray straightThrough(NDArray relaxed, int axis) {
        NDArray oneHot = oneHot(relaxed.argMax(axis), (int) relaxed.getShape().get(axis), axis);
        return oneHot.sub(relaxed.stopGradient()).add(relaxed);
    }

    /**
     * One-hot vectors of {@code indices} (the logits' shape without {@code axis}) with {@code size}
     * categories placed along {@code axis}, float32.
     */
    public static NDArray oneHot(NDArray indices, int size, int axis) {
        NDArray hot = indices.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(size);
        int rank = hot.getShape().dimension();
        int at = axis < 0 ? axis + rank : axis;
        if (at == rank - 1) {
            return hot;
        }
        int[] order = new int[rank];
        for (int i = 0, from = 0; i < rank; i++) {
            order[i] = i == at ? rank - 1 : from++;
        }
        return hot.transpose(order);
    }

    /**
     * KL(q ‖ uniform) = Σ_k q_k log(K·q_k) = log K − H(q) per categorical distribution, from the
     * logits of q along {@code axis}: the dVAE's KL to its uniform prior (Ramesh et al. 2021, eq. 1).
     */
    public static NDArray klToUniform(NDArray logits, int axis) {
        long k = logits.getShape().get(axis);
        NDArray logQ = logits.logSoftmax(axis);
        NDArray entropy = logQ.exp().mul(logQ).sum(new int[] {axis}).neg();
        return entropy.neg().add((float) Math.log(k));
    }
}
