package io.difflab.kit.nn.transformer;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * GPT-2's initialisation (Radford et al. 2019, sec. 2.3): weights N(0, 0.02²), biases zero, and the
 * projections that write into the residual stream scaled by 1/√(2·layers), so that the stream's
 * variance does not grow with depth.
 */
final class TransformerInit {

    /** The standard deviation of every weight but the residual projections. */
    static final float STD = 0.02f;

    private TransformerInit() {
    }

    /** A linear layer to {@code units} outputs, weights N(0, std²), bias zero. */
    static Linear linear(int units, float std) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
        linear.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return linear;
    }

    /** The standard deviation of a residual projection in a stack of {@code layers} blocks. */
    static float residualStd(int layers) {
        return (float) (STD / Math.sqrt(2.0 * layers));
    }
}
