package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.kit.engine.RowIndependent;
import io.difflab.kit.engine.ShardedStep;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.NormalInitializer;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.NoiseSource;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.nn.Conv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/** Test fixtures: a tiny denoising network, a random dataset and a seeded noise source. */
final class TinyTraining {

    private TinyTraining() {
    }

    /**
     * A two-layer conv net with dropout (so the engine's RNG matters), initialized from {@code seed};
     * the platform's {@link Conv}, which is safe from oneDNN's narrow-output fault.
     */
    static Block network(NDManager manager, long seed) {
        return network(manager, seed, Dropout.builder().optRate(0.2f).build());
    }

    /**
     * The tiny denoiser whose dropout (rate 0.5) draws through {@link ShardedStep#dropout}, as the
     * U-Nets' residual blocks do: its training passes may be sharded.
     */
    static Block shardableNetwork(NDManager manager, long seed) {
        return network(manager, seed, new ShardDropout(0.5f));
    }

    private static Block network(NDManager manager, long seed, Block dropout) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        SequentialBlock b = new RowWise()
                .add(Conv.of(1, 4, 3, 1))
                .add(Activation::relu)
                .add(dropout)
                .add(Conv.of(4, 1, 3, 1));
        b.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        return b;
    }

    /** {@link #network} behind a layer that drops all inputs but x_t: a tiny ε-estimator taking (x_t, t). */
    static Block estimator(NDManager manager, long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        SequentialBlock b = new SequentialBlock()
                .add(new ai.djl.nn.LambdaBlock(in -> new NDList(in.get(0))))
                .add(Conv.of(1, 4, 3, 1))
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.2f).build())
                .add(Conv.of(4, 1, 3, 1));
        b.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8), new Shape(1));
        return b;
    }

    /** Learn to predict the noise added to an image: a denoising objective in miniature. */
    static TrainingObjective denoising() {
        return (batch, network, extra) -> {
            NDArray noise = batch.noise().normal(batch.manager(), batch.images().getShape());
            NDArray predicted = network.apply(new NDList(batch.images().add(noise))).singletonOrThrow();
            return predicted.sub(noise).square().mean();
        };
    }

    /** {@link #denoising()} that records the step of every batch it is given. */
    static TrainingObjective recordingSteps(List<Long> steps) {
        TrainingObjective good = denoising();
        return (batch, network, extra) -> {
            steps.add(batch.step());
            return good.loss(batch, network, extra);
        };
    }

    /** An objective that is finite until step {@code badStep} (1-based) and NaN from then on. */
    static TrainingObjective nanAt(long badStep, long[] counter) {
        TrainingObjective good = denoising();
        return (batch, network, extra) -> {
            counter[0]++;
            NDArray loss = good.loss(batch, network, extra);
            return counter[0] >= badStep ? loss.mul(Float.NaN) : loss;
        };
    }

    /** 20 random 1x8x8 images in [−1, 1]. */
    static ImageDataset dataset() {
        Random r = new Random(1);
        float[][] images = new float[20][64];
        for (float[] im : images) {
            for (int i = 0; i < im.length; i++) {
                im[i] = r.nextFloat() * 2 - 1;
            }
        }
        return new ImageDataset() {
            public String id() { return "tiny/train"; }
            public int size() { return images.length; }
            public ImageShape shape() { return new ImageShape(1, 8, 8); }
            public void copyImage(int index, float[] into, int offset) {
                System.arraycopy(images[index], 0, into, offset, 64);
            }
            public int label(int index) { return -1; }
            public int numClasses() { return 0; }
            public List<String> classNames() { return List.of(); }
            public String checksum() { return "0"; }
        };
    }

    /** A java.util.Random noise source for one step. */
    static NoiseSource noise(long seed) {
        return new NoiseSource() {
            private Random r = new Random(seed);

            public NDArray normal(NDManager m, Shape shape) {
                float[] v = new float[(int) shape.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                return m.create(v, shape);
            }

            public NDArray randint(NDManager m, int high, long n) {
                int[] v = new int[(int) n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(high);
                }
                return m.create(v);
            }

            public NDArray uniform(NDManager m, long n) {
                float[] v = new float[(int) n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextFloat();
                }
                return m.create(v);
            }

            public byte[] state() { return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).array(); }

            public void restore(byte[] state) { }
        };
    }

    /** Convolutions, ReLU and dropout act on each sample alone: its training passes may be sharded. */
    static final class RowWise extends SequentialBlock implements RowIndependent {
    }

    /** Training dropout through {@link ShardedStep#dropout}; the identity in inference. */
    static final class ShardDropout extends AbstractBlock {
        private final float rate;

        ShardDropout(float rate) {
            this.rate = rate;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return training ? new NDList(ShardedStep.dropout(inputs.head(), rate)) : inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
