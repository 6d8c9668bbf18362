package io.difflab.plugins.metrics.evaluator;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The evaluator's classifier: conv-pool-conv-pool-conv, each convolution (3×3, 16-32-64 channels)
 * followed by batch normalization (Ioffe &amp; Szegedy 2015) and a ReLU, then dense(128)-ReLU and
 * dense(classes). Pooling before the wider convolutions keeps it at about 2.3 M multiply-adds per
 * 28×28 image, so it trains in about two minutes on two CPU cores. Its 128-d penultimate
 * activations (after the ReLU) are the feature space of {@code fd}, {@code precision} and
 * {@code recall}; its softmax is the p(y|x) of {@code is} and {@code cond-accuracy}.
 *
 * <p>Any image size divisible by 4 and any channel count fit: convolutions keep the size (padding
 * 1), the two poolings halve it, and the dense layer infers its input width at initialization.
 *
 * @param features the trunk up to and including the 128-d ReLU layer
 * @param head     the last dense layer, features to class logits
 * @param network  features followed by head, the block that is trained and saved
 */
public record EvaluatorNetwork(SequentialBlock features, Linear head, SequentialBlock network) {

    /** Width of the feature space. */
    public static final int FEATURE_DIM = 128;

    /** Builds an uninitialized network for {@code numClasses} classes. */
    public static EvaluatorNetwork create(int numClasses) {
        SequentialBlock features = new SequentialBlock()
                .add(convolution(16))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(convolution(32))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(convolution(64))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(FEATURE_DIM).build())
                .add(Activation.reluBlock());
        Linear head = Linear.builder().setUnits(numClasses).build();
        SequentialBlock network = new SequentialBlock().add(features).add(head);
        return new EvaluatorNetwork(features, head, network);
    }

    /** 3×3 convolution, batch normalization, ReLU. */
    private static SequentialBlock convolution(int channels) {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(channels)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
