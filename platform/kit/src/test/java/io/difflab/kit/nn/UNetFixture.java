package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.difflab.api.ImageShape;

import java.util.List;

/** Tiny U-Nets and their inputs for the tests: real PyTorch engine, CPU. */
final class UNetFixture {

    private UNetFixture() {
    }

    /** Base 16 channels (oneDNN pads narrower ones, see UNetGradientTest), two levels, one residual block each, attention at half resolution, 2 heads. */
    static UNetBuilder tiny(ImageShape shape) {
        return UNet.builder().setImageShape(shape).optBaseChannels(16).optChannelMult(List.of(1, 2))
                .optNumResBlocks(1).optAttentionResolutions(List.of(shape.height() / 2 + shape.height() % 2))
                .optNumHeads(2);
    }

    /** Initialises the block's parameters in {@code params} for a batch of {@code n}. */
    static void initialize(UNet unet, NDManager params, ImageShape shape, int n) {
        unet.initialize(params, DataType.FLOAT32, shape.batch(n), new Shape(n), new Shape(n));
    }

    /** Gives the parameters that start at zero random values instead, so every path carries signal. */
    static void randomizeZeroInitialised(Block block) {
        block.setInitializer(new NormalInitializer(0.1f), p -> p.getInitializer() == Initializer.ZEROS);
    }

    static NDArray images(NDManager manager, ImageShape shape, int n) {
        return manager.randomNormal(shape.batch(n));
    }

    static NDArray timesteps(NDManager manager, int n) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 37f * i + 1;
        }
        return manager.create(t);
    }

    static NDArray labels(NDManager manager, int n, int numClasses) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % (numClasses + 1); // includes the null label
        }
        return manager.create(y);
    }

    static ParameterStore store(NDManager params) {
        return new ParameterStore(params, false);
    }

    static boolean hasZeroInitialiser(Parameter p) {
        return p.getInitializer() == Initializer.ZEROS;
    }
}
