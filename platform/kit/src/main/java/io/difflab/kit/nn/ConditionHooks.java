package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Where each condition enters a {@link UNet}, as the surveyed models condition theirs:
 * <ul>
 * <li>class labels through a learned embedding added to the timestep embedding (guided-diffusion's
 * {@code label_emb});</li>
 * <li>embeddings through a linear projection added to the timestep embedding: a CLIP embedding, or
 * a text encoder's pooled vector (GLIDE's {@code transformer_proj} of the final token, Nichol et al.
 * 2021, sec. 3.1); an embedding may also be projected into k context tokens (unCLIP's decoder: the
 * CLIP image embedding "projected into four extra tokens of context that are concatenated to the
 * sequence of outputs from the GLIDE text encoder", Ramesh et al. 2022, sec. 2.1);</li>
 * <li>token states as context tokens that every attention layer projects to keys and values and
 * appends to its own (GLIDE's {@code encoder_kv}), padding masked out;</li>
 * <li>reference images, low-resolution images (upsampled to x_t's size, GLIDE's upsampler) and
 * masks as extra input channels (GLIDE's inpainting model, sec. 3.3).</li>
 * </ul>
 * The context is every context source in condition order, along the token axis (attention does
 * not depend on the order of its keys). Token ids need a text encoder and are not read here: see
 * {@link TextUNet}.
 */
final class ConditionHooks {

    /** One condition's way in: a block into the timestep embedding, a block into context tokens, or channels. */
    private record Hook(ConditionInput input, Block embedding, Linear tokens, int tokenCount, int channels) { }

    private final List<Hook> hooks = new ArrayList<>();
    private final int contextWidth;

    /**
     * Builds the hooks of {@code b}'s conditions, registering their blocks as children of the
     * network through {@code add} (in order, so initialization draws follow them).
     */
    ConditionHooks(UNetBuilder b, BiFunction<String, Block, Block> add) {
        contextWidth = b.contextWidth();
        for (ConditionInput input : b.conditions) {
            ConditionKind kind = input.kind();
            if (kind == ConditionKind.LABEL) {
                String name = input.name().equals(Condition.LABEL) ? "class_embedding" : input.name() + "_embedding";
                hooks.add(new Hook(input, add.apply(name, new ClassEmbedding(input.cardinality(), b.embedDim())),
                        null, 0, 0));
            } else if (kind == ConditionKind.EMBEDDING) {
                int dim = Math.toIntExact(input.itemShapes().get(0).get(0));
                Block projection = add.apply(input.name() + "_projection", Layers.linear(dim, b.embedDim()));
                int k = b.contextTokens.getOrDefault(input.name(), 0);
                Linear tokens = k == 0 ? null
                        : (Linear) add.apply(input.name() + "_context", Layers.linear(dim, k * contextWidth));
                hooks.add(new Hook(input, projection, tokens, k, 0));
            } else if (kind == ConditionKind.TOKEN_STATES) {
                hooks.add(new Hook(input, null, null, 0, 0));
            } else if (UNetBuilder.isImageLike(kind)) {
                hooks.add(new Hook(input, null, null, 0, Math.toIntExact(input.itemShapes().get(0).get(0))));
            } else {
                throw new IllegalArgumentException("the U-Net cannot read condition '" + input.name() + "' of kind "
                        + kind.name() + ": it takes labels, embeddings, token states and images (token ids need "
                        + "a text encoder: use the text-unet estimator)");
            }
        }
    }

    /** Channels the image-like conditions add to x_t's. */
    int extraChannels() {
        return hooks.stream().mapToInt(Hook::channels).sum();
    }

    /** How many input arrays the conditions take, in order. */
    int arrayCount() {
        return hooks.stream().mapToInt(h -> h.input().itemShapes().size()).sum();
    }

    /** D of the context tokens; 0 when no condition gives any. */
    int contextWidth() {
        return contextWidth;
    }

    /** {@code emb} plus every embedding-like condition's vector (N, embedDim). */
    NDArray embedding(ParameterStore ps, NDArray emb, NDList arrays, boolean training) {
        int next = 0;
        for (Hook h : hooks) {
            if (h.embedding() instanceof ClassEmbedding labels) {
                emb = emb.add(labels.forward(ps, arrays.get(next), training));
            } else if (h.embedding() != null) {
                emb = emb.add(Layers.apply(h.embedding(), ps, arrays.get(next), training));
            }
            next += h.input().itemShapes().size();
        }
        return emb;
    }

    /**
     * The context tokens of every context source, joined along the token axis, or null when there
     * are none; made in the managers of {@code arrays} (call it inside the forward's scope).
     */
    ContextTokens context(ParameterStore ps, NDList arrays, boolean training) {
        if (contextWidth == 0) {
            return null;
        }
        NDList states = new NDList();
        NDList masks = new NDList();
        int next = 0;
        for (Hook h : hooks) {
            if (h.input().kind() == ConditionKind.TOKEN_STATES) {
                states.add(arrays.get(next));
                masks.add(arrays.get(next + 1).toType(DataType.FLOAT32, false));
            } else if (h.tokens() != null) {
                NDArray embedding = arrays.get(next);
                long n = embedding.getShape().get(0);
                states.add(Layers.apply(h.tokens(), ps, embedding, training).reshape(n, h.tokenCount(), contextWidth));
                masks.add(embedding.getManager().ones(new Shape(n, h.tokenCount())));
            }
            next += h.input().itemShapes().size();
        }
        NDArray joined = states.size() == 1 ? states.get(0) : NDArrays.concat(states, 1);
        NDArray mask = masks.size() == 1 ? masks.get(0) : NDArrays.concat(masks, 1);
        return ContextTokens.of(joined, mask);
    }

    /** x_t with every image-like condition as extra channels, low-resolution ones upsampled (nearest). */
    NDArray inputChannels(NDArray x, NDList arrays) {
        if (extraChannels() == 0) {
            return x;
        }
        NDList parts = new NDList(x);
        int next = 0;
        for (Hook h : hooks) {
            if (h.channels() > 0) {
                parts.add(resized(arrays.get(next), x.getShape()));
            }
            next += h.input().itemShapes().size();
        }
        return NDArrays.concat(parts, 1);
    }

    /** Initializes the hooks' blocks for a batch of {@code n}. */
    void initialize(NDManager manager, DataType dataType, long n) {
        for (Hook h : hooks) {
            if (h.embedding() instanceof ClassEmbedding) {
                h.embedding().initialize(manager, dataType, new Shape(n));
            } else if (h.embedding() != null) {
                h.embedding().initialize(manager, dataType, h.input().batchShapes(n)[0]);
            }
            if (h.tokens() != null) {
                h.tokens().initialize(manager, dataType, h.input().batchShapes(n)[0]);
            }
        }
    }

    /** Whether there are no hooks. */
    boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** {@code image} (N, c, h, w) at x's height and width by nearest-neighbour repetition where smaller. */
    private NDArray resized(NDArray img, Shape x) {
        long h = img.getShape().get(2);
        long w = img.getShape().get(3);
        if (h == x.get(2) && w == x.get(3)) {
            return img;
        }
        if (x.get(2) % h != 0 || x.get(3) % w != 0) {
            throw new IllegalArgumentException("a low-resolution condition of " + h + "x" + w + " does not divide "
                    + x.get(2) + "x" + x.get(3));
        }
        return img.repeat(2, x.get(2) / h).repeat(3, x.get(3) / w);
    }
}
