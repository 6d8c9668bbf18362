package io.difflab.plugins.cfdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A stand-in for the conditional U-Net with its input convention (x_t, t, labels with the null
 * label {@code numClasses}): conv(x_t) plus a learned per-label bias.
 */
final class TinyConditionalEstimator extends AbstractBlock {

    private final int numClasses;
    private final Conv2d conv;
    private final Linear labelEmbedding;

    TinyConditionalEstimator(int channels, int numClasses) {
        this.numClasses = numClasses;
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(channels).build());
        labelEmbedding = addChildBlock("label", Linear.builder().setUnits(channels).build());
    }

    /** The label-embedding weight, to check that the loss reaches it. */
    NDArray labelWeight() {
        return labelEmbedding.getParameters().get("weight").getArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray oneHot = inputs.get(2).oneHot(numClasses + 1).toType(DataType.FLOAT32, false);
        NDArray bias = labelEmbedding.forward(parameterStore, new NDList(oneHot), training).singletonOrThrow();
        NDArray out = conv.forward(parameterStore, new NDList(inputs.get(0)), training).singletonOrThrow();
        return new NDList(out.add(bias.expandDims(2).expandDims(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        labelEmbedding.initialize(manager, dataType, new Shape(inputShapes[0].get(0), numClasses + 1));
    }
}
