package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves the spatial size: a 3x3 convolution with stride 2, or a 2x2 average pool. Odd sizes
 * round up (7 → 4) in both modes, so the two agree and {@link Upsample} can return exactly.
 */
public final class Downsample extends AbstractBlock implements TimestepBlock {

    private final Conv conv;

    /**
     * @param channels input channels
     * @param outChannels output channels (must equal {@code channels} without a convolution)
     * @param useConv  whether to use a strided convolution rather than average pooling
     */
    public Downsample(int channels, int outChannels, boolean useConv) {
        if (!useConv && channels != outChannels) {
            throw new IllegalArgumentException("average-pool downsampling keeps the channels: "
                    + channels + " != " + outChannels);
        }
        conv = useConv ? addChildBlock("conv", Conv.of(channels, outChannels, 3, 2)) : null;
    }

    /** 2x2 average pooling, stride 2, a partial window at an odd edge averaging what it covers. */
    public static NDArray avgPool(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true, false);
    }

    /** The size after halving: ⌈size / 2⌉. */
    public static long half(long size) {
        return (size + 1) / 2;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        return conv == null ? avgPool(x) : conv.forward(ps, x, training);
    }

    @Override
    public Shape outputShape(Shape x) {
        long channels = conv == null ? x.get(1) : conv.getOutChannels();
        return new Shape(x.get(0), channels, half(x.get(2)), half(x.get(3)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (conv != null) {
            conv.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }
}
