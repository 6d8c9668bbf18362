package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A U-Net layer whose forward also receives the timestep embedding (guided-diffusion's
 * TimestepBlock); layers that ignore it (attention, resampling) implement it too, so a
 * {@link TimestepSequential} can chain any of them. Attention layers may also read context tokens
 * (GLIDE's {@code encoder_out}), which the other layers pass over.
 *
 * <p>As a DJL block its inputs are x (N, C, H, W) and, optionally, the embedding (N, E).
 */
public interface TimestepBlock extends Block {

    /**
     * Applies the layer.
     *
     * @param x        features (N, C, H, W)
     * @param emb      the timestep embedding (N, E); may be null for layers that ignore it
     * @param training whether this is a training forward (dropout on)
     * @return the output, in the manager of {@code x}
     */
    NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training);

    /**
     * Applies the layer with the context tokens attention layers append to their keys and values
     * ({@link AttentionBlock}); other layers ignore them, which is the default.
     *
     * @param context the context, or null for none
     */
    default NDArray forward(ParameterStore ps, NDArray x, NDArray emb, ContextTokens context, boolean training) {
        return forward(ps, x, emb, training);
    }

    /** The output shape for an input of shape {@code x}. */
    Shape outputShape(Shape x);
}
