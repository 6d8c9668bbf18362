package io.difflab.datasets.shapes.evaluator;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.difflab.kit.nn.Conv;

/**
 * The scene evaluator's network, fully convolutional: 3×3 convolutions (the platform's {@link Conv},
 * safe on every CPU) each followed by batch normalization (Ioffe &amp; Szegedy 2015) and a ReLU;
 * stride-2 convolutions down to 16×16, a 32-channel convolution, 2×2 max pooling to the 8×8 grid,
 * two 64-channel convolutions and a 1×1 convolution to the {@link SceneGrid#CHANNELS} outputs per
 * cell. At 32×32 that is about 6 M multiply-adds per image, and a receptive field of 27 pixels, which
 * sees a whole object (at most 12 pixels wide) from the cell of its centre.
 */
public final class SceneEvaluatorNetwork {

    private SceneEvaluatorNetwork() { }

    /** An uninitialized network for RGB images of {@code side} pixels (32 or 64). */
    public static SequentialBlock create(int side) {
        if (side < 16 || Integer.bitCount(side) != 1) {
            throw new IllegalArgumentException("the scene evaluator reads images of 16, 32, 64, ... pixels, not " + side);
        }
        SequentialBlock net = new SequentialBlock();
        int channels = 3;
        for (int s = side; s > 16; s /= 2) {
            net.add(convolution(channels, 32, 2));
            channels = 32;
        }
        net.add(convolution(channels, 32, 1))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(convolution(32, 64, 1))
                .add(convolution(64, 64, 1))
                .add(Conv.of(64, SceneGrid.CHANNELS, 1, 1));
        return net;
    }

    private static SequentialBlock convolution(int in, int out, int stride) {
        return new SequentialBlock()
                .add(Conv.of(in, out, 3, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
