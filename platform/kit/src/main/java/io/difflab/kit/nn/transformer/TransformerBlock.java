package io.difflab.kit.nn.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Layers;

/**
 * One pre-LayerNorm transformer block (GPT-2, Radford et al. 2019, sec. 2.3; CLIP's text encoder):
 * x + attention(LN(x)), then x + MLP(LN(x)) with a 4·D GELU hidden layer.
 */
public final class TransformerBlock extends AbstractBlock {

    private final LayerNorm attentionNorm;
    private final SelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear expand;
    private final Linear contract;

    TransformerBlock(int width, int heads, boolean causal, int layers) {
        float residual = TransformerInit.residualStd(layers);
        attentionNorm = addChildBlock("attention_norm", layerNorm());
        attention = addChildBlock("attention", new SelfAttention(width, heads, causal, residual));
        mlpNorm = addChildBlock("mlp_norm", layerNorm());
        expand = addChildBlock("mlp_expand", TransformerInit.linear(4 * width, TransformerInit.STD));
        contract = addChildBlock("mlp_contract", TransformerInit.linear(width, residual));
    }

    /** Layer normalization over the last axis of (N, T, D), as GPT-2 and CLIP (ε = 1e-5). */
    static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(1e-5f).build();
    }

    /**
     * Applies the block to x (N, T, D); see {@link SelfAttention#forward} for the mask and cache.
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray keyMask, KeyValueCache cache, int layer,
                           boolean training) {
        try (ForwardScope s = ForwardScope.open(x, keyMask)) {
            NDArray h = Layers.apply(attentionNorm, ps, x, training);
            h = s.advance(h, attention.forward(ps, h, keyMask, cache, layer, training));
            NDArray stream = s.advance(h, x.add(h));
            h = Layers.apply(mlpNorm, ps, stream, training);
            h = s.advance(h, Layers.apply(expand, ps, h, training));
            h = s.advance(h, Activation.gelu(h));
            h = s.advance(h, Layers.apply(contract, ps, h, training));
            NDArray out = s.advance(h, stream.add(h));
            return s.keep(out);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        mlpNorm.initialize(manager, dataType, x);
        expand.initialize(manager, dataType, x);
        contract.initialize(manager, dataType, expand.getOutputShapes(new Shape[] {x})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
