package io.difflab.kit.nn.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Layers;

/**
 * Multi-head scaled dot-product self-attention over a sequence x (N, T, D) (Vaswani et al. 2017,
 * eq. 1: softmax(QKᵀ/√d_head)V per head, then an output projection): causal (position t reads
 * positions ≤ t, as in GPT and CLIP's text encoder) or bidirectional, with an optional key padding
 * mask (N, T_k), 1 where a key may be read. With a {@link KeyValueCache} the new positions' keys
 * and values are appended to the cached ones and the queries attend to all of them.
 */
public final class SelfAttention extends AbstractBlock {

    /** Added to the scores of keys a query must not read: exp underflows to exactly 0 in float32. */
    static final float MASKED = -1e9f;

    private final int width;
    private final int heads;
    private final boolean causal;
    private final Linear qkv;
    private final Linear projection;

    /**
     * @param width          D, the model width
     * @param heads          the number of heads; must divide D
     * @param causal         whether position t reads only positions ≤ t
     * @param projectionStd  the standard deviation of the output projection's initial weights
     */
    SelfAttention(int width, int heads, boolean causal, float projectionStd) {
        if (width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads must divide the width " + width);
        }
        this.width = width;
        this.heads = heads;
        this.causal = causal;
        this.qkv = addChildBlock("qkv", TransformerInit.linear(3 * width, TransformerInit.STD));
        this.projection = addChildBlock("projection", TransformerInit.linear(width, projectionStd));
    }

    /**
     * Attends; returns (N, T, D) in the caller's manager.
     *
     * @param x       the queries' positions (N, T, D): the whole sequence, or the new positions after the cache's
     * @param keyMask (N, T_k) with 1 on keys that may be read, T_k counting cached positions; or {@code null}
     * @param cache   the cache to read and extend, or {@code null}
     * @param layer   this layer's index in the cache
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray keyMask, KeyValueCache cache, int layer,
                           boolean training) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long t = shape.get(1);
        long headWidth = width / heads;
        try (ForwardScope s = ForwardScope.open(x, keyMask)) {
            NDArray h = Layers.apply(qkv, ps, x, training);
            // (N, T, 3, heads, d) -> (3, N, heads, T, d)
            NDArray split = s.advance(h, h.reshape(n, t, 3, heads, headWidth).transpose(2, 0, 3, 1, 4));
            NDArray q = Scalars.mul(split.get(0), 1 / Math.sqrt(headWidth));
            NDArray k = split.get(1);
            NDArray v = split.get(2);
            if (cache != null) {
                NDList all = cache.append(layer, k, v);
                k = all.get(0);
                v = all.get(1);
            }
            long keys = k.getShape().get(2);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
            NDArray bias = bias(s.manager(), n, t, keys, keyMask);
            if (bias != null) {
                scores = s.advance(scores, scores.add(bias));
            }
            NDArray weights = s.advance(scores, scores.softmax(-1));
            NDArray attended = s.advance(weights, weights.matMul(v));
            NDArray merged = s.advance(attended, attended.transpose(0, 2, 1, 3).reshape(n, t, width));
            return s.keep(Layers.apply(projection, ps, merged, training));
        }
    }

    /**
     * The additive mask of the scores (1 or N, 1, T, T_k): {@link #MASKED} where the query at row i
     * (absolute position T_k − T + i) must not read key j (a later position, when causal; padding).
     * A single query is the newest position and may read every earlier one.
     */
    private NDArray bias(NDManager manager, long n, long t, long keys, NDArray keyMask) {
        NDArray bias = null;
        if (causal && t > 1) {
            float[] values = new float[Math.toIntExact(t * keys)];
            long offset = keys - t;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < keys; j++) {
                    values[Math.toIntExact(i * keys + j)] = j > offset + i ? MASKED : 0f;
                }
            }
            bias = manager.create(values, new Shape(1, 1, t, keys));
        }
        if (keyMask != null) {
            if (keyMask.getShape().get(1) != keys) {
                throw new IllegalArgumentException("the key mask covers " + keyMask.getShape().get(1)
                        + " positions, the attention " + keys);
            }
            NDArray padding = keyMask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED).reshape(n, 1, 1, keys);
            bias = bias == null ? padding : bias.add(padding);
        }
        return bias;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        projection.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
