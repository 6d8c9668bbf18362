package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A small real classifier in the noise-aware convention: logits = W·(mean_HW tanh(conv(x_t)))·(1 + t/1000)
 * + b; it remembers the last timestep it saw. Works in the data type of x_t (float64 for exact checks).
 */
final class TinyClassifier extends AbstractBlock {

    private final Conv2d conv;
    private final Linear linear;
    private float lastTimestep = Float.NaN;

    TinyClassifier(int classes) {
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(4).build());
        linear = addChildBlock("linear", Linear.builder().setUnits(classes).build());
        setInitializer(new NormalInitializer(0.8f), Parameter.Type.WEIGHT);
    }

    float lastTimestep() {
        return lastTimestep;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        lastTimestep = t.getFloat(0);
        NDArray h = conv.forward(ps, new NDList(x), training).head().tanh();
        Shape s = h.getShape();
        NDArray pooled = h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        NDArray timeScale = t.toType(x.getDataType(), false).div(1000.0).add(1.0).reshape(-1, 1);
        return new NDList(linear.forward(ps, new NDList(pooled.mul(timeScale)), training).head());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), linear.getOutputShapes(new Shape[] {new Shape(1, 4)})[0]
                .get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 4));
    }
}
