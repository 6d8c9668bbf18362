package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Where each condition enters a {@link UNet}, as the surveyed models condition theirs: class labels
 * through a learned embedding and CLIP-style embeddings through a linear projection, both added to
 * the timestep embedding (guided-diffusion's {@code label_emb}; unCLIP's projected image embedding,
 * Ramesh et al. 2022, sec. 2.1); reference images, low-resolution images (upsampled to x_t's size,
 * GLIDE's upsampler) and masks as extra input channels (GLIDE's inpainting model, Nichol et al. 2021,
 * sec. 4). Token sequences need a text encoder and are not read here.
 */
final class ConditionHooks {

    /** One condition's way in. */
    private record Hook(ConditionInput input, Block embedding, int channels) { }

    private final List<Hook> hooks = new ArrayList<>();

    /**
     * Builds the hooks, registering their blocks as children of {@code owner} through {@code add}
     * (in order, so initialization draws follow them).
     */
    ConditionHooks(List<ConditionInput> inputs, int embedDim, BiFunction<String, Block, Block> add) {
        for (ConditionInput input : inputs) {
            ConditionKind kind = input.kind();
            if (kind == ConditionKind.LABEL) {
                String name = input.name().equals(io.difflab.api.Condition.LABEL) ? "class_embedding"
                        : input.name() + "_embedding";
                hooks.add(new Hook(input, add.apply(name, new ClassEmbedding(input.cardinality(), embedDim)), 0));
            } else if (kind == ConditionKind.EMBEDDING) {
                int dim = Math.toIntExact(input.itemShapes().get(0).get(0));
                Linear projection = Layers.linear(dim, embedDim);
                hooks.add(new Hook(input, add.apply(input.name() + "_projection", projection), 0));
            } else if (kind == ConditionKind.IMAGE || kind == ConditionKind.LOW_RES_IMAGE
                    || kind == ConditionKind.MASK) {
                hooks.add(new Hook(input, null, Math.toIntExact(input.itemShapes().get(0).get(0))));
            } else {
                throw new IllegalArgumentException("the U-Net cannot read condition '" + input.name() + "' of kind "
                        + kind.name() + ": it takes labels, embeddings and images (token sequences need an "
                        + "estimator with a text encoder)");
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
        return ai.djl.ndarray.NDArrays.concat(parts, 1);
    }

    /** Initializes the hooks' blocks for a batch of {@code n}. */
    void initialize(NDManager manager, DataType dataType, long n) {
        for (Hook h : hooks) {
            if (h.embedding() instanceof ClassEmbedding) {
                h.embedding().initialize(manager, dataType, new Shape(n));
            } else if (h.embedding() != null) {
                h.embedding().initialize(manager, dataType, h.input().batchShapes(n)[0]);
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
