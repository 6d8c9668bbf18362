package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/** DJL linear layers initialised as PyTorch initialises them, and a one-array forward for any block. */
public final class Layers {

    private Layers() {
    }

    /** A fully connected layer from {@code in} to {@code out} features, weight and bias uniform in ±1/√in. */
    public static Linear linear(int in, int out) {
        Linear linear = Linear.builder().setUnits(out).build();
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(in)));
        linear.setInitializer(init, Parameter.Type.WEIGHT);
        linear.setInitializer(init, Parameter.Type.BIAS);
        return linear;
    }

    /** Applies a single-input, single-output DJL block. */
    public static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).head();
    }
}
