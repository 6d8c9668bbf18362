package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The text transformer of CLIP (Radford et al. 2021, sec. 2.4) and GLIDE (Nichol et al. 2021,
 * sec. 2.3): token embeddings plus learned position embeddings, a stack of pre-LayerNorm layers
 * with causal or bidirectional attention that never attends to padding, and a final LayerNorm.
 * It returns every token's state and one pooled vector: the state at the end-of-text token
 * (CLIP: the last position the mask marks) or at the last position (GLIDE).
 *
 * <p>Inputs: token ids (N, L) and their mask (N, L), both int32 as {@link io.difflab.api.TokenBatch}
 * encodes them (1 on start, text and end, 0 on padding). Outputs: states (N, L, D) and pooled (N, D).
 * An all-padding row (the ∅ caption) has finite states: its queries attend uniformly
 * ({@link AttentionMask}), and END_TOKEN pools its first position. As a {@link TextEncoder} it is the
 * {@code transformer} entry of {@link TextEncoders}: GLIDE's text encoder inside a text U-Net.
 */
public final class TextTransformer extends AbstractBlock implements TextEncoder {

    /** Where the pooled vector is read. */
    public enum Pooling {
        /** At the end-of-text token: the last position the mask marks (CLIP's {@code argmax} of the ids). */
        END_TOKEN,
        /** At the last position, L − 1 (GLIDE's {@code xf_out[:, -1]}). */
        LAST
    }

    private final int vocabularySize;
    private final int contextLength;
    private final int width;
    private final boolean causal;
    private final Pooling pooling;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Transformer transformer;
    private final LayerNorm finalNorm;

    private TextTransformer(Builder b) {
        vocabularySize = b.vocabularySize;
        contextLength = b.contextLength;
        width = b.width;
        causal = b.causal;
        pooling = b.pooling;
        // CLIP's initialize_parameters: token embeddings N(0, 0.02²), position embeddings N(0, 0.01²)
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, width)).optInitializer(new NormalInitializer(0.02f)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(contextLength, width))
                .optInitializer(new NormalInitializer(0.01f)).build());
        transformer = addChildBlock("transformer", new Transformer(width, b.layers, b.heads));
        finalNorm = addChildBlock("final_norm", new LayerNorm(width));
    }

    /** States (N, L, D) and pooled vectors (N, D) of {@code ids} (N, L) under {@code mask} (N, L). */
    public NDList forward(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(1) != contextLength) {
            throw new IllegalArgumentException("token ids must be (N, " + contextLength + "), got " + shape);
        }
        NDArray table = ps.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray positions = ps.getValue(positionEmbedding, ids.getDevice(), training);
        try (ForwardScope s = ForwardScope.open(ids, mask)) {
            NDArray index = ids.toType(DataType.INT64, false);
            NDArray x = index.getNDArrayInternal().embedding(index, table, SparseFormat.DENSE).head();
            x = s.advance(x, x.add(positions));
            NDArray bias = AttentionMask.padding(mask, x.getDataType());
            if (causal) {
                bias = s.advance(bias, bias.add(AttentionMask.causal(s.manager(), contextLength, x.getDataType())));
            }
            NDArray h = s.advance(x, transformer.forward(ps, x, bias, training));
            h = s.advance(h, finalNorm.forward(ps, h, training));
            NDArray pooled = pool(h, mask);
            return new NDList(s.keep(h), s.keep(pooled));
        }
    }

    /** The pooled rows of states (N, L, D): a one-hot (N, 1, L) times the states, so gradients reach them. */
    private NDArray pool(NDArray states, NDArray mask) {
        long n = states.getShape().get(0);
        NDArray position;
        if (pooling == Pooling.LAST) {
            position = mask.getManager().full(new Shape(n), contextLength - 1, DataType.INT32);
        } else {
            NDArray lengths = mask.toType(DataType.INT32, false).sum(new int[] {1});
            position = lengths.sub(1).maximum(0);
        }
        NDArray select = position.oneHot(contextLength).toType(states.getDataType(), false).reshape(n, 1, contextLength);
        return select.matMul(states).reshape(n, width);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    /** D, the width of states and pooled vectors. */
    @Override
    public int width() {
        return width;
    }

    public boolean causal() {
        return causal;
    }

    public Pooling pooling() {
        return pooling;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return forward(ps, inputs.get(0), inputs.get(1), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape states = new Shape(inputShapes[0].get(0), contextLength, width);
        transformer.initialize(manager, dataType, states);
        finalNorm.initialize(manager, dataType, states);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, contextLength, width), new Shape(n, width)};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a text transformer; vocabulary size, context length and width are required. */
    public static final class Builder {
        private int vocabularySize;
        private int contextLength;
        private int width;
        private int layers = 2;
        private int heads = 4;
        private boolean causal = true;
        private Pooling pooling = Pooling.END_TOKEN;

        private Builder() {
        }

        /** The number of token ids. */
        public Builder setVocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /** L, the length of every id row. */
        public Builder setContextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /** D, the width of the token states. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Transformer layers (default 2). */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Attention heads, dividing the width (default 4). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Causal attention as CLIP and GLIDE (default), or bidirectional. */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /** Where the pooled vector is read (default {@link Pooling#END_TOKEN}, CLIP's). */
        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        public TextTransformer build() {
            if (vocabularySize < 1 || contextLength < 1 || width < 1) {
                throw new IllegalArgumentException("a text transformer needs a vocabulary, a context length and a"
                        + " width > 0, got " + vocabularySize + ", " + contextLength + ", " + width);
            }
            if (layers < 1) {
                throw new IllegalArgumentException("a text transformer needs at least one layer, got " + layers);
            }
            if (heads < 1 || width % heads != 0) {
                throw new IllegalArgumentException(heads + " heads do not divide the width " + width);
            }
            if (pooling == null) {
                throw new IllegalArgumentException("pooling must be set");
            }
            return new TextTransformer(this);
        }
    }
}
