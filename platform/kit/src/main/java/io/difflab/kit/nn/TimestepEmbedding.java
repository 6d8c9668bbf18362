package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The timestep embedding of the DDPM U-Net: the sinusoidal position encoding of t (Vaswani et
 * al. 2017, sec. 3.5, as used by Ho et al. 2020, appendix B) followed by a two-layer MLP with a
 * SiLU between, mapping t (N) to (N, embedDim).
 */
public final class TimestepEmbedding extends AbstractBlock {

    /** The longest period of the sinusoids, as in Vaswani et al. 2017. */
    public static final double MAX_PERIOD = 10_000;

    private final int sinusoidDim;
    private final int embedDim;
    private final Linear hidden;
    private final Linear output;

    /**
     * @param sinusoidDim width of the sinusoidal encoding (the U-Net's base channels)
     * @param embedDim    width of the embedding (4x the base channels in the reference)
     */
    public TimestepEmbedding(int sinusoidDim, int embedDim) {
        if (sinusoidDim < 2 || embedDim <= 0) {
            throw new IllegalArgumentException("timestep embedding needs sinusoidDim >= 2 and embedDim > 0, got "
                    + sinusoidDim + ", " + embedDim);
        }
        this.sinusoidDim = sinusoidDim;
        this.embedDim = embedDim;
        hidden = addChildBlock("hidden", Layers.linear(sinusoidDim, embedDim));
        output = addChildBlock("output", Layers.linear(embedDim, embedDim));
    }

    /**
     * The sinusoidal encoding of guided-diffusion's {@code timestep_embedding}: for
     * i &lt; half = dim/2, frequency ω_i = exp(−ln(maxPeriod)·i/half); the row of t is
     * [cos(t·ω_0..half−1), sin(t·ω_0..half−1)], zero-padded to {@code dim} when odd.
     *
     * @param t   timesteps (N), any numeric type, possibly fractional
     * @param dim the width of the encoding
     * @return (N, dim) float32, in the manager of {@code t}
     */
    public static NDArray sinusoidal(NDArray t, int dim, double maxPeriod) {
        int half = dim / 2;
        try (ForwardScope s = ForwardScope.open(t)) {
            NDManager m = s.manager();
            NDArray freqs = m.arange(0f, half, 1f, DataType.FLOAT32)
                    .mul((float) (-Math.log(maxPeriod) / half)).exp().reshape(1, half);
            NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs);
            NDArray encoding = NDArrays.concat(new NDList(args.cos(), args.sin()), 1);
            if (dim % 2 == 1) {
                encoding = encoding.concat(m.zeros(new Shape(encoding.getShape().get(0), 1)), 1);
            }
            return s.keep(encoding);
        }
    }

    /** Embeds timesteps t (N) as (N, embedDim), in the manager of {@code t}. */
    public NDArray forward(ParameterStore ps, NDArray t, boolean training) {
        try (ForwardScope s = ForwardScope.open(t)) {
            NDArray h = Layers.apply(hidden, ps, sinusoidal(t, sinusoidDim, MAX_PERIOD), training);
            return s.keep(Layers.apply(output, ps, Silu.silu(h), training));
        }
    }

    /** Width of the embedding. */
    public int getEmbedDim() {
        return embedDim;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        hidden.initialize(manager, dataType, new Shape(n, sinusoidDim));
        output.initialize(manager, dataType, new Shape(n, embedDim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
