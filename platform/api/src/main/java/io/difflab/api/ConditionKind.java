package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A kind of condition: what its arrays hold and its null value ∅, which condition dropout uses in
 * training and the unconditional pass of classifier-free guidance uses in sampling. Kinds are
 * open: the standard ones are constants here, and a plugin may define its own with {@link #of}.
 * Every array of a condition is batch-major (its first dimension is the batch).
 */
public interface ConditionKind {

    /** Class labels: one int32 array (N); ∅ is {@link Condition#NULL_LABEL}. */
    ConditionKind LABEL = of("label", arrays -> new NDList(fill(arrays.get(0), Condition.NULL_LABEL)));

    /**
     * A token sequence: ids (N, L) int32 and mask (N, L) int32, 1 on tokens and 0 on padding; ∅ is the
     * empty sequence, every id the padding id 0 and the mask 0: GLIDE's empty caption, for which its
     * tokenizer gives no ids at all, so the row is padding only (Nichol et al. 2021, sec. 3.2: the
     * caption is replaced by the empty sequence with probability 0.2). A network reads tokens
     * through a text encoder of its own.
     */
    ConditionKind TOKENS = of("tokens", ConditionKind::zeros);

    /**
     * Token states, a text encoder's output sequence: states (N, L, D) float32 and mask (N, L) int32,
     * 1 on the positions attention may read and 0 on padding, whose states count for nothing. A
     * U-Net appends them, projected, to every attention layer's keys and values (GLIDE's
     * {@code encoder_kv}, Nichol et al. 2021, sec. 3.1). ∅ is the empty context:
     * every position masked and the states zero, so attention reads the image alone. (The states a
     * frozen encoder gives for the empty caption are an ordinary value of this kind, not ∅.)
     */
    ConditionKind TOKEN_STATES = of("token_states", ConditionKind::zeros);

    /**
     * An embedding vector (N, D) float32, e.g. a CLIP image or text embedding; ∅ is the zero vector
     * (unCLIP's decoder sets the CLIP embedding to zero for classifier-free guidance, Ramesh et al.
     * 2022, sec. 2.1).
     */
    ConditionKind EMBEDDING = of("embedding", ConditionKind::zeros);

    /** A reference image (N, C, H, W) in [−1, 1]; ∅ is the zero (mid-grey) image. */
    ConditionKind IMAGE = of("image", ConditionKind::zeros);

    /** A low-resolution image (N, C, h, w) in [−1, 1] that an upsampler refines; ∅ is zeros. */
    ConditionKind LOW_RES_IMAGE = of("low_res_image", ConditionKind::zeros);

    /** A mask (N, 1, H, W), 1 where a pixel is known (inpainting); ∅ is all zeros: nothing known. */
    ConditionKind MASK = of("mask", ConditionKind::zeros);

    /** Lower-case name, e.g. {@code label}. */
    String name();

    /** ∅ for every row: arrays shaped, typed and placed like {@code encoded}, in their managers. */
    NDList nullLike(NDList encoded);

    /** A kind named {@code name} whose null value {@code nullLike} makes from an example batch. */
    static ConditionKind of(String name, UnaryOperator<NDList> nullLike) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nullLike, "nullLike");
        return new ConditionKind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDList nullLike(NDList encoded) {
                return nullLike.apply(encoded);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static NDList zeros(NDList arrays) {
        NDList out = new NDList();
        arrays.forEach(a -> out.add(a.zerosLike()));
        return out;
    }

    private static NDArray fill(NDArray like, int value) {
        return like.getManager().full(like.getShape(), value).toType(like.getDataType() == DataType.UNKNOWN
                ? DataType.INT32 : like.getDataType(), false);
    }
}
