package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned-variance network in miniature whose two outputs come from separate parameters:
 * ε = conv_ε(x_t) and v = tanh(conv_v(x_t)), concatenated to (N, 2C, H, W).
 */
final class SplitHeadNetwork extends AbstractBlock {

    private final Conv2d epsilonConv;
    private final Conv2d varianceConv;

    SplitHeadNetwork(int channels) {
        epsilonConv = addChildBlock("epsilon", conv(channels));
        varianceConv = addChildBlock("variance", conv(channels));
    }

    private static Conv2d conv(int channels) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(channels).build();
        conv.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        return conv;
    }

    /** The weight gradient of the ε head or the v head. */
    NDArray weightGradient(boolean epsilonHead) {
        return (epsilonHead ? epsilonConv : varianceConv).getParameters().get("weight").getArray().getGradient();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray epsilon = epsilonConv.forward(ps, new NDList(x), training).head();
        NDArray v = varianceConv.forward(ps, new NDList(x), training).head().tanh();
        return new NDList(epsilon.concat(v, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), 2 * x.get(1), x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        epsilonConv.initialize(manager, dataType, inputShapes[0]);
        varianceConv.initialize(manager, dataType, inputShapes[0]);
    }
}
