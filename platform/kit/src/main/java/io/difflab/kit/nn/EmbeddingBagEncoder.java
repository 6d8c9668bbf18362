package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.difflab.kit.engine.Scalars;

/**
 * The smallest {@link TextEncoder}: each token's state is its learned embedding plus a learned
 * position embedding (the input layer of CLIP's and GLIDE's text transformers, Radford et al. 2021;
 * Nichol et al. 2021, sec. 3.1, without the transformer layers), and the pooled vector is the mean
 * of the states the mask marks (PyTorch's {@code EmbeddingBag} in mean mode), 0 for the empty
 * caption. Tokens do not see each other, so it encodes a bag of positioned words: enough to test
 * the conditioning path and to train small models, no stand-in for a transformer's quality.
 */
public final class EmbeddingBagEncoder extends AbstractBlock implements TextEncoder {

    private final int vocabularySize;
    private final int contextLength;
    private final int width;
    private final Parameter tokenEmbedding;
    private final Parameter positionalEmbedding;

    private EmbeddingBagEncoder(int vocabularySize, int contextLength, int width) {
        this.vocabularySize = vocabularySize;
        this.contextLength = contextLength;
        this.width = width;
        // N(0, 1) as torch.nn.Embedding initialises; positions N(0, 0.01) as CLIP's
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, width)).optInitializer(new NormalInitializer(1f)).build());
        positionalEmbedding = addParameter(Parameter.builder().setName("positional_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(contextLength, width))
                .optInitializer(new NormalInitializer(0.01f)).build());
    }

    /**
     * An encoder of {@code contextLength} ids from a vocabulary of {@code vocabularySize} into
     * states {@code width} wide.
     */
    public static EmbeddingBagEncoder of(int vocabularySize, int contextLength, int width) {
        if (vocabularySize <= 0 || contextLength <= 0 || width <= 0) {
            throw new IllegalArgumentException("an embedding-bag encoder needs a positive vocabulary size, context "
                    + "length and width, got " + vocabularySize + ", " + contextLength + ", " + width);
        }
        return new EmbeddingBagEncoder(vocabularySize, contextLength, width);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        Shape expected = new Shape(ids.getShape().get(0), contextLength);
        if (!ids.getShape().equals(expected) || !mask.getShape().equals(expected)) {
            throw new IllegalArgumentException("this text encoder takes ids and mask of shape (N, " + contextLength
                    + "), got " + ids.getShape() + " and " + mask.getShape());
        }
        NDArray table = ps.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray positions = ps.getValue(positionalEmbedding, ids.getDevice(), training);
        try (ForwardScope s = ForwardScope.open(ids, mask)) {
            NDArray tokens = Embedding.embedding(ids.toType(DataType.INT64, false), table, SparseFormat.DENSE).head();
            NDArray states = tokens.add(positions);
            // pooled = Σ_l m_l·state_l / max(Σ_l m_l, 1): the mean over the caption's tokens, 0 for ∅
            NDArray m = mask.toType(DataType.FLOAT32, false);
            NDArray count = Scalars.maximum(m.sum(new int[] {1}, true), 1);
            NDArray pooled = m.expandDims(2).mul(states).sum(new int[] {1}).div(count);
            return new NDList(s.keep(states), s.keep(pooled));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, contextLength, width), new Shape(n, width)};
    }
}
