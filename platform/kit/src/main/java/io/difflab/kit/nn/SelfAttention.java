package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.difflab.kit.engine.Scalars;

/**
 * Multi-head self-attention over a sequence (Vaswani et al. 2017, eq. 1 and sec. 3.2.2):
 * per head softmax(Q Kᵀ/√d + bias) V, heads concatenated and projected. Q, K and V come from one
 * linear map of the input (PyTorch's {@code in_proj}, as in CLIP's {@code nn.MultiheadAttention});
 * the bias (see {@link AttentionMask}) blocks connections: causal, padding, or both.
 *
 * <p>Inputs x (N, L, D) and optionally the bias, broadcastable to (N, heads, L, L); output (N, L, D).
 */
public final class SelfAttention extends AbstractBlock {

    private final int width;
    private final int heads;
    private final Linear inProjection;
    private final Linear outProjection;

    /**
     * @param width          D, divisible by {@code heads}
     * @param heads          the number of heads
     * @param projectionStd  std of the output projection's initial weights (CLIP: D^−½·(2·layers)^−½)
     */
    public SelfAttention(int width, int heads, double projectionStd) {
        if (width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("attention needs heads > 0 dividing the width " + width + ", got "
                    + heads + " heads");
        }
        this.width = width;
        this.heads = heads;
        inProjection = addChildBlock("in_projection", normalLinear(3 * width, 1 / Math.sqrt(width)));
        outProjection = addChildBlock("out_projection", normalLinear(width, projectionStd));
    }

    /** A linear layer with weights N(0, std²) and a zero bias (CLIP's {@code initialize_parameters}). */
    static Linear normalLinear(int units, double std) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(new NormalInitializer((float) std), Parameter.Type.WEIGHT);
        linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return linear;
    }

    /** Attends x (N, L, D) under {@code bias} (null: every connection allowed), in the manager of {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long length = shape.get(1);
        long d = width / heads;
        try (ForwardScope s = ForwardScope.open(x, bias)) {
            NDArray qkv = Layers.apply(inProjection, ps, x, training);
            // (N, L, 3, H, d) -> (3, N, H, L, d): q, k, v per head, batch-major
            NDArray split = s.advance(qkv, qkv.reshape(n, length, 3, heads, d).transpose(2, 0, 3, 1, 4));
            NDList parts = split.split(3, 0);
            NDArray q = Scalars.mul(parts.get(0).reshape(n * heads, length, d), 1 / Math.sqrt(d));
            NDArray k = parts.get(1).reshape(n * heads, length, d);
            NDArray v = parts.get(2).reshape(n * heads, length, d);
            NDArray weight = q.matMul(k.transpose(0, 2, 1));
            if (bias != null) {
                weight = s.advance(weight, weight.reshape(n, heads, length, length).add(bias)
                        .reshape(n * heads, length, length));
            }
            weight = s.advance(weight, weight.softmax(-1));
            NDArray attended = weight.matMul(v);
            NDArray merged = attended.reshape(n, heads, length, d).transpose(0, 2, 1, 3).reshape(n, length, width);
            return s.keep(Layers.apply(outProjection, ps, merged, training));
        }
    }

    /** The number of heads. */
    public int heads() {
        return heads;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        inProjection.initialize(manager, dataType, x);
        outProjection.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
