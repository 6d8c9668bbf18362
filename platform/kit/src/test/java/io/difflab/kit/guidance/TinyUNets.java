package io.difflab.kit.guidance;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Parameterization;
import io.difflab.kit.nn.UNet;

import java.util.ArrayList;
import java.util.List;

/**
 * The real class-conditional U-Net, tiny (8 base channels, one level, one residual block,
 * attention) and randomly initialized, the layers that start at zero included, so that its
 * output is non-zero and depends on the label.
 */
final class TinyUNets {

    private TinyUNets() {
    }

    static EstimatorNetwork build(NDManager manager, ImageShape shape, int numClasses, boolean learnsVariance) {
        return build(manager, new EstimatorSpec(shape, numClasses, learnsVariance));
    }

    /** The tiny U-Net consuming {@code spec}'s conditions. */
    static EstimatorNetwork build(NDManager manager, EstimatorSpec spec) {
        ImageShape shape = spec.imageShape();
        UNet unet = UNet.builder().setImageShape(shape).optOutChannels(spec.outputChannels())
                .optConditions(spec.conditions()).optBaseChannels(8).optChannelMult(List.of(1)).optNumResBlocks(1)
                .optAttentionResolutions(List.of(shape.height())).optNumHeads(2).build();
        unet.setInitializer(new NormalInitializer(0.1f), p -> p.getInitializer() == Initializer.ZEROS);
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        List<Shape> inputs = new ArrayList<>(List.of(shape.batch(1), new Shape(1)));
        spec.conditions().forEach(c -> inputs.addAll(List.of(c.batchShapes(1))));
        unet.initialize(manager, DataType.FLOAT32, inputs.toArray(Shape[]::new));
        return new EstimatorNetwork(unet, Parameterization.EPSILON, spec);
    }
}
