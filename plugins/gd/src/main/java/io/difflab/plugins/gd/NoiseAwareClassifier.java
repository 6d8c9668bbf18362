package io.difflab.plugins.gd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.difflab.api.ImageShape;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.GroupNorm;
import io.difflab.kit.nn.Layers;
import io.difflab.kit.nn.Silu;
import io.difflab.kit.nn.TimestepEmbedding;
import io.difflab.kit.nn.UNet;
import io.difflab.kit.nn.UNetEncoder;

import java.util.List;

/**
 * The noise-aware classifier p_φ(y | x_t, t) of Dhariwal &amp; Nichol 2021 (sec. 4): the U-Net's
 * encoder half (input blocks and middle block, with adaptive group norm and residual
 * downsampling) under its own timestep embedding, then GN, SiLU, global average pooling and a
 * zero-initialised linear layer to the class logits (guided-diffusion's EncoderUNetModel with
 * the "adaptive" pool).
 *
 * <p>Inputs x_t (N, C, H, W) float32 and t (N) float32, the original timestep; output logits
 * (N, numClasses): the convention of {@code io.difflab.kit.guidance}.
 */
public final class NoiseAwareClassifier extends AbstractBlock {

    /** Fewest channels per group in the norm before pooling. */
    static final int MIN_POOLED_GROUP = 16;

    private final int numClasses;
    private final TimestepEmbedding timeEmbedding;
    private final UNetEncoder encoder;
    private final GroupNorm outNorm;
    private final Linear head;

    private NoiseAwareClassifier(Builder b) {
        numClasses = b.numClasses;
        timeEmbedding = addChildBlock("time_embedding", new TimestepEmbedding(b.baseChannels, 4 * b.baseChannels));
        encoder = addChildBlock("encoder", UNet.builder().setImageShape(b.imageShape)
                .optBaseChannels(b.baseChannels).optChannelMult(b.channelMult).optNumResBlocks(b.numResBlocks)
                .optAttentionResolutions(b.attentionResolutions).optNumHeadChannels(b.numHeadChannels)
                .optUseScaleShiftNorm(true).optResblockUpdown(true).buildEncoder());
        int ch = encoder.getOutChannels();
        outNorm = addChildBlock("out_norm", GroupNorm.builder().setNumChannels(ch)
                .optNumGroups(poolNormGroups(ch)).build());
        head = Linear.builder().setUnits(numClasses).build();
        head.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        head.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        addChildBlock("head", head);
    }

    /**
     * The groups of the norm before the average pool: 32 as in the reference where it has at least
     * {@value #MIN_POOLED_GROUP} channels per group (its classifiers end with ≥ 512 channels), else
     * fewer, at least {@value #MIN_POOLED_GROUP} channels each. A group normalises its channels'
     * joint mean away, so with the 2 channels per group of a narrow network only the difference of
     * two channel means survives the pool, which barely depends on the image: a 16-channel
     * classifier with 8 groups stayed at chance on trousers against sneakers, even at t = 0.
     */
    static int poolNormGroups(int channels) {
        return GroupNorm.groupsFor(channels, Math.min(32, Math.max(1, channels / MIN_POOLED_GROUP)));
    }

    /** The logits (N, numClasses) for x_t at timesteps t, in the manager of {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray t, boolean training) {
        try (ForwardScope s = ForwardScope.open(x, t)) {
            NDArray emb = timeEmbedding.forward(ps, t, training);
            NDArray h = encoder.forward(ps, x, emb, training).get(0);
            h = Silu.silu(outNorm.forward(ps, h, training));
            Shape shape = h.getShape();
            NDArray pooled = h.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
            return s.keep(Layers.apply(head, ps, pooled, training));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        timeEmbedding.initialize(manager, dataType, new Shape(n));
        Shape emb = new Shape(n, timeEmbedding.getEmbedDim());
        encoder.initialize(manager, dataType, x, emb);
        Shape h = encoder.getOutputShapes(new Shape[] {x, emb})[0];
        outNorm.initialize(manager, dataType, h);
        head.initialize(manager, dataType, new Shape(n, h.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the classifier; image shape and class count are required. */
    public static final class Builder {
        private ImageShape imageShape;
        private int numClasses;
        private int baseChannels = 32;
        private List<Integer> channelMult = List.of(1, 2, 2);
        private int numResBlocks = 1;
        private List<Integer> attentionResolutions = List.of(7);
        private int numHeadChannels = 32;

        private Builder() {
        }

        public Builder setImageShape(ImageShape imageShape) {
            this.imageShape = imageShape;
            return this;
        }

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Channels of the first level (default 32). */
        public Builder optBaseChannels(int baseChannels) {
            this.baseChannels = baseChannels;
            return this;
        }

        /** Channel multiplier per level (default [1, 2, 2]). */
        public Builder optChannelMult(List<Integer> channelMult) {
            this.channelMult = List.copyOf(channelMult);
            return this;
        }

        /** Residual blocks per level (guided-diffusion's classifier_depth; default 1). */
        public Builder optNumResBlocks(int numResBlocks) {
            this.numResBlocks = numResBlocks;
            return this;
        }

        /** Feature-map heights with attention (default [7]). */
        public Builder optAttentionResolutions(List<Integer> attentionResolutions) {
            this.attentionResolutions = List.copyOf(attentionResolutions);
            return this;
        }

        /** Channels per attention head; -1 for one head (default 32). */
        public Builder optNumHeadChannels(int numHeadChannels) {
            this.numHeadChannels = numHeadChannels;
            return this;
        }

        /** Builds the classifier; the encoder validates its settings. */
        public NoiseAwareClassifier build() {
            if (imageShape == null) {
                throw new IllegalArgumentException("the classifier needs setImageShape");
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
            }
            return new NoiseAwareClassifier(this);
        }
    }
}
