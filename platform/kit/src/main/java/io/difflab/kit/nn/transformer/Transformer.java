package io.difflab.kit.nn.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Layers;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of pre-LayerNorm {@link TransformerBlock}s and a final layer norm, over embedded
 * positions (N, T, D) to features (N, T, D): GPT-2's trunk (Radford et al. 2019), causal for
 * autoregressive models (DALL-E's decoder, Ramesh et al. 2021, sec. 2.2; CLIP's text encoder) or
 * bidirectional with a padding mask. Token and position embeddings and output heads belong to the
 * model that uses it. A causal stack decodes step by step with a {@link KeyValueCache}.
 */
public final class Transformer extends AbstractBlock {

    private final int width;
    private final boolean causal;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;

    private Transformer(Builder b) {
        this.width = b.width;
        this.causal = b.causal;
        for (int i = 0; i < b.layers; i++) {
            blocks.add(addChildBlock("block_" + i, new TransformerBlock(b.width, b.heads, b.causal, b.layers)));
        }
        finalNorm = addChildBlock("final_norm", TransformerBlock.layerNorm());
    }

    /**
     * The features of x (N, T, D).
     *
     * @param keyMask (N, T_k) with 1 on positions that may be read (T_k includes cached ones), or {@code null}
     * @param cache   for step-by-step decoding: x holds the positions after the cached ones; or {@code null}
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray keyMask, KeyValueCache cache, boolean training) {
        if (cache != null && cache.layers() != blocks.size()) {
            throw new IllegalArgumentException("a cache of " + cache.layers() + " layers for a transformer of "
                    + blocks.size());
        }
        try (ForwardScope s = ForwardScope.open(x, keyMask)) {
            NDArray h = x;
            for (int i = 0; i < blocks.size(); i++) {
                h = s.advance(h, blocks.get(i).forward(ps, h, keyMask, cache, i, training));
            }
            return s.keep(s.advance(h, Layers.apply(finalNorm, ps, h, training)));
        }
    }

    /** A new, empty cache for this stack, under {@code manager}. */
    public KeyValueCache newCache(NDManager manager) {
        if (!causal) {
            throw new IllegalStateException("only a causal transformer decodes step by step");
        }
        return KeyValueCache.empty(manager, blocks.size());
    }

    /** D. */
    public int width() {
        return width;
    }

    /** The number of blocks. */
    public int layers() {
        return blocks.size();
    }

    public boolean causal() {
        return causal;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (TransformerBlock block : blocks) {
            block.initialize(manager, dataType, inputShapes);
        }
        finalNorm.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Transformer}: width, layers and heads are required. */
    public static final class Builder {
        private int width;
        private int layers;
        private int heads;
        private boolean causal = true;

        /** D, the width of every position's features. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** The number of blocks. */
        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Attention heads per block; must divide the width. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Causal (default) or bidirectional attention. */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        public Transformer build() {
            if (width <= 0 || layers <= 0 || heads <= 0) {
                throw new IllegalArgumentException("a transformer needs a positive width, layers and heads, got "
                        + width + ", " + layers + ", " + heads);
            }
            if (width % heads != 0) {
                throw new IllegalArgumentException(heads + " heads do not divide the width " + width);
            }
            return new Transformer(this);
        }
    }
}
