package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Doubles the spatial size by nearest-neighbour interpolation, then optionally a 3x3
 * convolution. Built with the exact output size of the matching encoder level, so that odd
 * sizes come back exactly (4 → 7 when the encoder went 7 → 4).
 */
public final class Upsample extends AbstractBlock implements TimestepBlock {

    private final long height;
    private final long width;
    private final Conv conv;

    /**
     * @param channels    input channels
     * @param outChannels output channels (must equal {@code channels} without a convolution)
     * @param useConv     whether a 3x3 convolution follows the interpolation
     * @param height      output height
     * @param width       output width
     */
    public Upsample(int channels, int outChannels, boolean useConv, long height, long width) {
        if (!useConv && channels != outChannels) {
            throw new IllegalArgumentException("upsampling without a convolution keeps the channels: "
                    + channels + " != " + outChannels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad upsampling size " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        conv = useConv ? addChildBlock("conv", Conv.of(channels, outChannels, 3, 1)) : null;
    }

    /** Nearest-neighbour resize of (N, C, h, w) to (N, C, height, width). */
    public static NDArray nearest(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        if (conv == null) {
            return nearest(x, height, width);
        }
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray h = nearest(x, height, width);
            return s.keep(s.advance(h, conv.forward(ps, h, training)));
        }
    }

    @Override
    public Shape outputShape(Shape x) {
        long channels = conv == null ? x.get(1) : conv.getOutChannels();
        return new Shape(x.get(0), channels, height, width);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (conv != null) {
            Shape x = inputShapes[0];
            conv.initialize(manager, dataType, new Shape(x.get(0), x.get(1), height, width));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }
}
