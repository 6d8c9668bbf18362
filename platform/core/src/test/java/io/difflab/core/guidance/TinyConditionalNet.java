package io.difflab.core.guidance;

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
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Parameterization;

/**
 * A real, randomly initialized class-conditional ε-network in miniature, with the input and output
 * convention of {@link EstimatorNetwork}: conv(x_t) + E[label] + t/1000, where E has a row for
 * each class and one for the null label; with learned variance the extra channels are tanh(v).
 */
final class TinyConditionalNet extends AbstractBlock {

    private final int channels;
    private final boolean learnsVariance;
    private final int numClasses;
    private final Conv2d conv;
    private final Linear labelEmbedding;

    private TinyConditionalNet(int channels, int numClasses, boolean learnsVariance) {
        this.channels = channels;
        this.numClasses = numClasses;
        this.learnsVariance = learnsVariance;
        int out = learnsVariance ? 2 * channels : channels;
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(out).build());
        labelEmbedding = addChildBlock("label", Linear.builder().setUnits(out).build());
    }

    /** An initialized network for {@code shape} images over {@code numClasses} classes. */
    static EstimatorNetwork build(NDManager manager, ImageShape shape, int numClasses, boolean learnsVariance) {
        TinyConditionalNet net = new TinyConditionalNet(shape.channels(), numClasses, learnsVariance);
        net.initialize(manager, DataType.FLOAT32, shape.batch(1), new Shape(1), new Shape(1));
        return new EstimatorNetwork(net, Parameterization.EPSILON,
                new EstimatorSpec(shape, numClasses, learnsVariance));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        NDArray oneHot = inputs.get(2).oneHot(numClasses + 1).toType(DataType.FLOAT32, false);
        NDArray embedding = labelEmbedding.forward(parameterStore, new NDList(oneHot), training).singletonOrThrow();
        NDArray out = conv.forward(parameterStore, new NDList(x), training).singletonOrThrow()
                .add(embedding.expandDims(2).expandDims(3))
                .add(t.div(1000.0).reshape(-1, 1, 1, 1));
        if (learnsVariance) {
            out = out.get(":, :{}", channels).concat(out.get(":, {}:", channels).tanh(), 1);
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), learnsVariance ? 2L * channels : channels, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        labelEmbedding.initialize(manager, dataType, new Shape(inputShapes[0].get(0), numClasses + 1));
    }
}
