package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import io.difflab.kit.nn.transformer.KeyValueCache;
import io.difflab.kit.nn.transformer.Transformer;

/**
 * DALL-E's transformer (Ramesh et al. 2021, sec. 2.2): a causal decoder over one stream of L_t
 * caption tokens followed by M = h·w image tokens. Caption positions whose mask is 0 hold the
 * padding token of their own position (ids V, V+1, ..., one per position, as in the paper), so the
 * text vocabulary is V + L_t; caption tokens get a learnt position embedding, image tokens a row and
 * a column embedding. One head predicts the next token over the text vocabulary then the K image
 * codes; a text position reads only the text part, an image position only the image part.
 *
 * <p>As a network: {@code (ids (N, L_t), mask (N, L_t), image tokens (N, M))} gives the logits
 * (N, L_t + M − 1, V + L_t + K) at every position but the last, each predicting the next token.
 * For sampling, {@link #prefill} and {@link #next} decode with a key/value cache.
 */
public final class DalleTransformer extends AbstractBlock {

    private final int vocabulary;
    private final int textLength;
    private final int codebookSize;
    private final int gridHeight;
    private final int gridWidth;
    private final int width;
    private final Parameter textEmbedding;
    private final Parameter textPosition;
    private final Parameter imageEmbedding;
    private final Parameter rowEmbedding;
    private final Parameter columnEmbedding;
    private final Transformer trunk;
    private final Linear head;

    /**
     * @param vocabulary   V, the tokenizer's ids
     * @param textLength   L_t, caption positions
     * @param codebookSize K, the dVAE's codes
     * @param gridHeight   h
     * @param gridWidth    w
     * @param trunk        the causal transformer (its width is the embeddings')
     */
    DalleTransformer(int vocabulary, int textLength, int codebookSize, int gridHeight, int gridWidth,
                     Transformer trunk) {
        if (!trunk.causal()) {
            throw new IllegalArgumentException("DALL-E's transformer is causal");
        }
        this.vocabulary = vocabulary;
        this.textLength = textLength;
        this.codebookSize = codebookSize;
        this.gridHeight = gridHeight;
        this.gridWidth = gridWidth;
        this.width = trunk.width();
        textEmbedding = embedding("text_embedding", vocabulary + textLength);
        textPosition = embedding("text_position", textLength);
        imageEmbedding = embedding("image_embedding", codebookSize);
        rowEmbedding = embedding("image_row", gridHeight);
        columnEmbedding = embedding("image_column", gridWidth);
        this.trunk = addChildBlock("trunk", trunk);
        this.head = addChildBlock("head", Layers.linear(width, vocabulary + textLength + codebookSize));
    }

    private Parameter embedding(String name, int rows) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, width)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    /** The caption ids with every masked position replaced by its own padding token V + position. */
    NDArray paddedText(NDArray ids, NDArray mask) {
        NDManager m = ids.getManager();
        NDArray positions = m.arange(vocabulary, vocabulary + textLength).toType(DataType.INT64, false)
                .reshape(1, textLength);
        NDArray kept = mask.toType(DataType.INT64, false);
        return ids.toType(DataType.INT64, false).mul(kept).add(positions.mul(kept.neg().add(1L)));
    }

    /** Embeddings (N, T, D) of caption tokens (ids in the scope's manager) at positions [from, from + T). */
    private NDArray embedText(ParameterStore ps, ForwardScope s, NDArray padded, int from, boolean training) {
        NDArray table = ps.getValue(textEmbedding, padded.getDevice(), training);
        NDArray positions = ps.getValue(textPosition, padded.getDevice(), training);
        long t = padded.getShape().get(1);
        NDArray tokens = Embedding.embedding(padded, table, SparseFormat.DENSE).head();
        // a slice of a parameter lands in the parameter's manager unless the scope takes it
        return tokens.add(s.own(positions.get(new NDIndex("{}:{}", from, from + t))));
    }

    /** Embeddings (N, T, D) of image tokens (N, T) at grid positions [from, from + T), row-major. */
    private NDArray embedImage(ParameterStore ps, NDArray tokens, int from, boolean training) {
        NDArray table = ps.getValue(imageEmbedding, tokens.getDevice(), training);
        NDArray rows = ps.getValue(rowEmbedding, tokens.getDevice(), training);
        NDArray columns = ps.getValue(columnEmbedding, tokens.getDevice(), training);
        long t = tokens.getShape().get(1);
        long[] rowIndex = new long[(int) t];
        long[] columnIndex = new long[(int) t];
        for (int i = 0; i < t; i++) {
            rowIndex[i] = (from + i) / gridWidth;
            columnIndex[i] = (from + i) % gridWidth;
        }
        NDManager m = tokens.getManager();
        NDArray position = Embedding.embedding(m.create(rowIndex), rows, SparseFormat.DENSE).head()
                .add(Embedding.embedding(m.create(columnIndex), columns, SparseFormat.DENSE).head());
        return Embedding.embedding(tokens.toType(DataType.INT64, false), table, SparseFormat.DENSE).head().add(position);
    }

    /** The training pass: logits at positions 0 .. L_t + M − 2 (see the class comment). */
    NDArray logits(ParameterStore ps, NDArray ids, NDArray mask, NDArray imageTokens, boolean training) {
        try (ForwardScope s = ForwardScope.open(ids, mask, imageTokens)) {
            NDArray text = embedText(ps, s, paddedText(ids, mask), 0, training);
            long m = imageTokens.getShape().get(1);
            NDArray image = embedImage(ps, imageTokens.get(new NDIndex(":, :{}", m - 1)), 0, training);
            NDArray h = trunk.forward(ps, text.concat(image, 1), null, null, training);
            return s.keep(Layers.apply(head, ps, h, training));
        }
    }

    /**
     * Runs the caption through the cache and returns the logits (N, K) of the first image token:
     * one forward pass.
     */
    public NDArray prefill(ParameterStore ps, NDArray ids, NDArray mask, KeyValueCache cache) {
        try (ForwardScope s = ForwardScope.open(ids, mask)) {
            NDArray h = trunk.forward(ps, embedText(ps, s, paddedText(ids, mask), 0, false), null, cache, false);
            return s.keep(imageLogits(ps, h.get(new NDIndex(":, -1:"))));
        }
    }

    /**
     * Feeds image token {@code index} (N, 1) after the cached positions and returns the logits (N, K)
     * of image token {@code index + 1}: one forward pass of one position.
     */
    public NDArray next(ParameterStore ps, NDArray token, int index, KeyValueCache cache) {
        try (ForwardScope s = ForwardScope.open(token)) {
            NDArray h = trunk.forward(ps, embedImage(ps, token, index, false), null, cache, false);
            return s.keep(imageLogits(ps, h));
        }
    }

    /** The image part of the head's logits for features (N, 1, D), as (N, K). */
    private NDArray imageLogits(ParameterStore ps, NDArray last) {
        NDArray all = Layers.apply(head, ps, last, false);
        return all.get(new NDIndex(":, 0, {}:", vocabulary + textLength));
    }

    /** A new key/value cache for sampling. */
    public KeyValueCache newCache(NDManager manager) {
        return trunk.newCache(manager);
    }

    /** V + L_t: the text part of the output vocabulary. */
    int textVocabulary() {
        return vocabulary + textLength;
    }

    /** L_t. */
    public int textLength() {
        return textLength;
    }

    /** M = h·w image tokens. */
    public int imageTokens() {
        return gridHeight * gridWidth;
    }

    /** K. */
    public int codebookSize() {
        return codebookSize;
    }

    /** The input shapes to initialize with (batch 1): ids, mask, image tokens. */
    Shape[] inputShapes() {
        return new Shape[] {new Shape(1, textLength), new Shape(1, textLength), new Shape(1, imageTokens())};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape sequence = new Shape(inputShapes[0].get(0), textLength + imageTokens() - 1, width);
        trunk.initialize(manager, dataType, sequence);
        head.initialize(manager, dataType, sequence);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), textLength + imageTokens() - 1,
                vocabulary + textLength + codebookSize)};
    }
}
