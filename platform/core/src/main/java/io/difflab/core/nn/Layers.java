package io.difflab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;

/**
 * DJL convolution and linear layers initialised as PyTorch initialises them, which the
 * reference U-Net (guided-diffusion) relies on: weight and bias uniform in ±1/√fan_in
 * (kaiming_uniform with a = √5), or all zeros for the layers the reference zero-initialises.
 */
public final class Layers {

    private Layers() {
    }

    /** A k×k convolution with "same" padding and the given stride. */
    public static Conv2d conv(int in, int out, int kernel, int stride) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(out)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .build();
        return pytorchDefault(conv, (long) in * kernel * kernel);
    }

    /** A k×k stride-1 convolution whose weight and bias start at zero (guided-diffusion's zero_module). */
    public static Conv2d zeroConv(int out, int kernel) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(out)
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .build();
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return conv;
    }

    /** A fully connected layer from {@code in} to {@code out} features. */
    public static Linear linear(int in, int out) {
        return pytorchDefault(Linear.builder().setUnits(out).build(), in);
    }

    /** Applies a single-input, single-output DJL block. */
    public static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new ai.djl.ndarray.NDList(x), training).head();
    }

    private static <B extends Block> B pytorchDefault(B block, long fanIn) {
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
        block.setInitializer(init, Parameter.Type.WEIGHT);
        block.setInitializer(init, Parameter.Type.BIAS);
        return block;
    }
}
