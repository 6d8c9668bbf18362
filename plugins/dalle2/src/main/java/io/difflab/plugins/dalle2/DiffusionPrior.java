package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Layers;
import io.difflab.kit.nn.TimestepEmbedding;
import io.difflab.kit.nn.transformer.Transformer;

/**
 * unCLIP's diffusion prior network (Ramesh et al. 2022, sec. 2.2): a decoder-only transformer with a
 * causal attention mask over, in order, the caption's L tokens, the CLIP text embedding z_t, an
 * embedding of the diffusion timestep τ, the noised CLIP image embedding z_i^τ, and a learned final
 * query, whose output predicts the unnoised z_i directly. Caption positions whose mask is 0 hold a
 * padding token of their own position (ids V, V+1, ...), so a dropped caption (∅: every id and mask 0)
 * is a sequence of padding tokens and no attention row is empty.
 *
 * <p>As a network: {@code (z_i^τ (N, E), τ (N), z_t (N, E), ids (N, L), mask (N, L))} gives the
 * prediction of z_i (N, E).
 */
final class DiffusionPrior extends AbstractBlock {

    /** The positions after the caption: z_t, τ, z_i^τ, the query. */
    static final int EXTRA_POSITIONS = 4;

    private final int vocabulary;
    private final int textLength;
    private final int embeddingSize;
    private final int width;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter query;
    private final Linear textProjection;
    private final Linear imageProjection;
    private final TimestepEmbedding timestep;
    private final Transformer trunk;
    private final Linear head;

    /**
     * @param vocabulary    V, the CLIP tokenizer's ids
     * @param textLength    L, caption positions
     * @param embeddingSize E, CLIP's embedding size
     * @param trunk         the causal transformer (its width is every position's)
     */
    DiffusionPrior(int vocabulary, int textLength, int embeddingSize, Transformer trunk) {
        if (!trunk.causal()) {
            throw new IllegalArgumentException("unCLIP's prior transformer is causal");
        }
        this.vocabulary = vocabulary;
        this.textLength = textLength;
        this.embeddingSize = embeddingSize;
        this.width = trunk.width();
        tokenEmbedding = embedding("token_embedding", vocabulary + textLength);
        positionEmbedding = embedding("position_embedding", textLength + EXTRA_POSITIONS);
        query = embedding("query", 1);
        textProjection = addChildBlock("text_projection", Layers.linear(embeddingSize, width));
        imageProjection = addChildBlock("image_projection", Layers.linear(embeddingSize, width));
        timestep = addChildBlock("timestep", new TimestepEmbedding(width, width));
        this.trunk = addChildBlock("trunk", trunk);
        head = addChildBlock("head", Layers.linear(width, embeddingSize));
    }

    private Parameter embedding(String name, int rows) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, width)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    /** The prediction of z_i (N, E) from z_i^τ, τ, z_t and the caption (see the class comment). */
    NDArray predict(ParameterStore ps, NDArray noised, NDArray t, NDArray textEmbedding, NDArray ids, NDArray mask,
                    boolean training) {
        try (ForwardScope s = ForwardScope.open(noised, t, textEmbedding, ids, mask)) {
            NDManager m = s.manager();
            long n = noised.getShape().get(0);
            NDArray positions = m.arange(vocabulary, vocabulary + textLength).toType(DataType.INT64, false)
                    .reshape(1, textLength);
            NDArray kept = mask.toType(DataType.INT64, false);
            NDArray padded = ids.toType(DataType.INT64, false).mul(kept).add(positions.mul(kept.neg().add(1L)));
            NDArray table = ps.getValue(tokenEmbedding, noised.getDevice(), training);
            NDArray caption = Embedding.embedding(padded, table, SparseFormat.DENSE).head();
            NDArray zt = Layers.apply(textProjection, ps, textEmbedding, training).reshape(n, 1, width);
            NDArray tau = timestep.forward(ps, t, training).reshape(n, 1, width);
            NDArray zi = Layers.apply(imageProjection, ps, noised, training).reshape(n, 1, width);
            NDArray q = s.own(ps.getValue(query, noised.getDevice(), training).reshape(1, 1, width))
                    .broadcast(new Shape(n, 1, width));
            NDArray sequence = caption.concat(zt, 1).concat(tau, 1).concat(zi, 1).concat(q, 1)
                    .add(s.own(ps.getValue(positionEmbedding, noised.getDevice(), training)
                            .reshape(1, textLength + EXTRA_POSITIONS, width)));
            NDArray h = trunk.forward(ps, sequence, null, null, training);
            NDArray last = h.get(":, -1, :");
            return s.keep(Layers.apply(head, ps, last, training));
        }
    }

    /** L. */
    int textLength() {
        return textLength;
    }

    /** E. */
    int embeddingSize() {
        return embeddingSize;
    }

    /** The input shapes to initialize with (batch 1): z_i^τ, τ, z_t, ids, mask. */
    Shape[] inputShapes() {
        Shape embedding = new Shape(1, embeddingSize);
        Shape tokens = new Shape(1, textLength);
        return new Shape[] {embedding, new Shape(1), embedding, tokens, tokens};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(predict(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), inputs.get(4),
                training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        textProjection.initialize(manager, dataType, new Shape(n, embeddingSize));
        imageProjection.initialize(manager, dataType, new Shape(n, embeddingSize));
        timestep.initialize(manager, dataType, new Shape(n));
        trunk.initialize(manager, dataType, new Shape(n, textLength + EXTRA_POSITIONS, width));
        head.initialize(manager, dataType, new Shape(n, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embeddingSize)};
    }
}
