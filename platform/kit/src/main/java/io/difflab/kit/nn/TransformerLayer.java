package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer layer (CLIP's {@code ResidualAttentionBlock}, GLIDE's
 * {@code ResidualAttentionBlock}; Radford et al. 2019 moved the norm before each sub-layer):
 * x + attention(LN(x)), then x + MLP(LN(x)) with a 4·D hidden layer and GELU (Hendrycks &amp;
 * Gimpel 2016). Weights start as CLIP's {@code initialize_parameters}: the attention's input map
 * N(0, 1/D), the MLP's first layer N(0, 1/(2D)), both output maps N(0, 1/(2D·layers)).
 */
public final class TransformerLayer extends AbstractBlock {

    private final LayerNorm attentionNorm;
    private final SelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;

    /**
     * @param width  D
     * @param heads  attention heads
     * @param layers the depth of the whole stack (scales the output maps' initial weights)
     */
    public TransformerLayer(int width, int heads, int layers) {
        double projectionStd = 1 / Math.sqrt(width) / Math.sqrt(2.0 * layers);
        attentionNorm = addChildBlock("attention_norm", new LayerNorm(width));
        attention = addChildBlock("attention", new SelfAttention(width, heads, projectionStd));
        mlpNorm = addChildBlock("mlp_norm", new LayerNorm(width));
        mlpIn = addChildBlock("mlp_in", SelfAttention.normalLinear(4 * width, 1 / Math.sqrt(2.0 * width)));
        mlpOut = addChildBlock("mlp_out", SelfAttention.normalLinear(width, projectionStd));
    }

    /** The layer's output (N, L, D) for x (N, L, D) under the attention {@code bias} (null: none). */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
        try (ForwardScope s = ForwardScope.open(x, bias)) {
            NDArray h = attentionNorm.forward(ps, x, training);
            h = s.advance(h, attention.forward(ps, h, bias, training));
            NDArray y = s.advance(h, x.add(h));
            NDArray m = mlpNorm.forward(ps, y, training);
            m = s.advance(m, Layers.apply(mlpIn, ps, m, training));
            m = s.advance(m, Activation.gelu(m));
            m = s.advance(m, Layers.apply(mlpOut, ps, m, training));
            return s.keep(y.add(m));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        mlpNorm.initialize(manager, dataType, x);
        mlpIn.initialize(manager, dataType, x);
        Shape hidden = mlpIn.getOutputShapes(new Shape[] {x})[0];
        mlpOut.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
