package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.api.ImageShape;
import io.difflab.kit.nn.Conv;
import io.difflab.kit.nn.Downsample;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Upsample;

import java.util.ArrayList;
import java.util.List;

/**
 * DALL-E's discrete VAE (Ramesh et al. 2021, sec. 2.1 and App. A): an encoder from an image
 * (N, C, H, W) to logits (N, K, h, w) over a K-entry codebook on a grid downsampled 2^d times, and
 * a decoder from a distribution over the codebook at every grid position (one-hot codes, or a
 * relaxed sample) back to an image. The decoder's first 1×1 convolution is the codebook: it maps a
 * one-hot code to that entry's embedding.
 *
 * <p>As a network: {@code (x)} gives {@code (logits)}; {@code (x, gumbel, τ)} with Gumbel noise
 * shaped like the logits and τ a one-element array gives {@code (logits, z, x̂)}: z the relaxed
 * sample softmax((logits + gumbel)/τ) (its straight-through one-hot version when built so) and
 * x̂ its decoding, the dVAE's training pass.
 */
public final class DiscreteVae extends AbstractBlock {

    private final ImageShape image;
    private final int codebookSize;
    private final int downsamples;
    private final boolean straightThrough;
    private final Conv encoderIn;
    private final List<List<DvaeResBlock>> encoderLevels = new ArrayList<>();
    private final Conv encoderOut;
    private final Conv codebook;
    private final List<List<DvaeResBlock>> decoderLevels = new ArrayList<>();
    private final Conv decoderOut;

    private DiscreteVae(Builder b) {
        image = b.image;
        codebookSize = b.codebookSize;
        downsamples = b.downsamples;
        straightThrough = b.straightThrough;
        int blocks = 2 * (downsamples + 1) * b.resBlocks;
        encoderIn = addChildBlock("encoder_in", Conv.of(image.channels(), b.channels, 3, 1));
        for (int level = 0; level <= downsamples; level++) {
            encoderLevels.add(level(b, "encoder_" + level, blocks));
        }
        encoderOut = addChildBlock("encoder_out", Conv.of(b.channels, codebookSize, 1, 1));
        codebook = addChildBlock("codebook", Conv.of(codebookSize, b.channels, 1, 1));
        for (int level = 0; level <= downsamples; level++) {
            decoderLevels.add(level(b, "decoder_" + level, blocks));
        }
        decoderOut = addChildBlock("decoder_out", Conv.of(b.channels, image.channels(), 1, 1));
    }

    private List<DvaeResBlock> level(Builder b, String name, int blocks) {
        List<DvaeResBlock> level = new ArrayList<>();
        for (int i = 0; i < b.resBlocks; i++) {
            level.add(addChildBlock(name + "_" + i, new DvaeResBlock(b.channels, blocks)));
        }
        return level;
    }

    /** The logits (N, K, h, w) of q(z | x) for images x (N, C, H, W) in [−1, 1]. */
    public NDArray encode(ParameterStore ps, NDArray x, boolean training) {
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray h = encoderIn.forward(ps, x, training);
            for (int level = 0; level <= downsamples; level++) {
                for (DvaeResBlock block : encoderLevels.get(level)) {
                    h = s.advance(h, block.forward(ps, h, training));
                }
                if (level < downsamples) {
                    h = s.advance(h, Downsample.avgPool(h));
                }
            }
            h = s.advance(h, Activation.relu(h));
            return s.keep(s.advance(h, encoderOut.forward(ps, h, training)));
        }
    }

    /** The image (N, C, H, W) decoded from codes z (N, K, h, w): one-hot codes or a relaxed sample. */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        try (ForwardScope s = ForwardScope.open(z)) {
            NDArray h = codebook.forward(ps, z, training);
            for (int level = downsamples; level >= 0; level--) {
                if (level < downsamples) {
                    long factor = 1L << level;
                    h = s.advance(h, Upsample.nearest(h, image.height() / factor, image.width() / factor));
                }
                for (DvaeResBlock block : decoderLevels.get(level)) {
                    h = s.advance(h, block.forward(ps, h, training));
                }
            }
            h = s.advance(h, Activation.relu(h));
            return s.keep(s.advance(h, decoderOut.forward(ps, h, training)));
        }
    }

    /** The images decoded from code indices (N, h·w) int, row-major on the grid. */
    public NDArray decodeTokens(ParameterStore ps, NDArray tokens) {
        long n = tokens.getShape().get(0);
        NDArray grid = tokens.reshape(n, gridHeight(), gridWidth());
        return decode(ps, GumbelSoftmax.oneHot(grid, codebookSize, 1), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray logits = encode(ps, inputs.get(0), training);
        if (inputs.size() == 1) {
            return new NDList(logits);
        }
        NDArray gumbel = inputs.get(1);
        NDArray temperature = inputs.get(2);
        NDArray z = logits.add(gumbel).div(temperature).softmax(1);
        if (straightThrough) {
            z = GumbelSoftmax.straightThrough(z, 1);
        }
        return new NDList(logits, z, decode(ps, z, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        encoderIn.initialize(manager, dataType, x);
        for (int level = 0; level <= downsamples; level++) {
            Shape at = new Shape(n, channels(), image.height() >> level, image.width() >> level);
            encoderLevels.get(level).forEach(b -> b.initialize(manager, dataType, at));
            decoderLevels.get(level).forEach(b -> b.initialize(manager, dataType, at));
        }
        Shape grid = new Shape(n, channels(), gridHeight(), gridWidth());
        encoderOut.initialize(manager, dataType, grid);
        codebook.initialize(manager, dataType, new Shape(n, codebookSize, gridHeight(), gridWidth()));
        decoderOut.initialize(manager, dataType, new Shape(n, channels(), image.height(), image.width()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape logits = new Shape(inputShapes[0].get(0), codebookSize, gridHeight(), gridWidth());
        if (inputShapes.length == 1) {
            return new Shape[] {logits};
        }
        return new Shape[] {logits, logits, inputShapes[0]};
    }

    /** K. */
    public int codebookSize() {
        return codebookSize;
    }

    /** h: the grid's height, H / 2^d. */
    public int gridHeight() {
        return image.height() >> downsamples;
    }

    /** w: the grid's width, W / 2^d. */
    public int gridWidth() {
        return image.width() >> downsamples;
    }

    /** The images' shape. */
    public ImageShape imageShape() {
        return image;
    }

    private int channels() {
        return codebook.getOutChannels();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link DiscreteVae}: the image shape and codebook size are required. */
    public static final class Builder {
        private ImageShape image;
        private int codebookSize;
        private int channels = 64;
        private int downsamples = 2;
        private int resBlocks = 1;
        private boolean straightThrough;

        public Builder setImageShape(ImageShape image) {
            this.image = image;
            return this;
        }

        /** K, the number of codebook entries (DALL-E: 8192). */
        public Builder setCodebookSize(int codebookSize) {
            this.codebookSize = codebookSize;
            return this;
        }

        /** The width of every convolution between the input and the codes (default 64). */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** d: the grid is the image downsampled 2^d times (default 2: 8×8 codes for 32×32 images). */
        public Builder optDownsamples(int downsamples) {
            this.downsamples = downsamples;
            return this;
        }

        /** Residual blocks per resolution in the encoder and in the decoder (default 1). */
        public Builder optResBlocks(int resBlocks) {
            this.resBlocks = resBlocks;
            return this;
        }

        /** Decode the one-hot sample with the relaxed sample's gradient (default: the relaxed sample). */
        public Builder optStraightThrough(boolean straightThrough) {
            this.straightThrough = straightThrough;
            return this;
        }

        public DiscreteVae build() {
            if (image == null || codebookSize < 2) {
                throw new IllegalArgumentException("a dVAE needs an image shape and at least 2 codebook entries");
            }
            if (channels <= 0 || resBlocks <= 0 || downsamples < 0) {
                throw new IllegalArgumentException("bad dVAE widths: channels " + channels + ", blocks " + resBlocks
                        + ", downsamples " + downsamples);
            }
            int factor = 1 << downsamples;
            if (image.height() % factor != 0 || image.width() % factor != 0) {
                throw new IllegalArgumentException(image.height() + "x" + image.width() + " images do not divide into "
                        + "a grid " + factor + " times smaller");
            }
            return new DiscreteVae(this);
        }
    }
}
