package io.difflab.kit.nn;

import io.difflab.kit.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import io.difflab.kit.engine.ShardedStep;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual block of the diffusion U-Net (Ho et al. 2020, appendix B; guided-diffusion's
 * ResBlock): GN, SiLU, 3x3 conv; the projected timestep embedding added — or, with scale-shift
 * norm, GN(h)·(1 + s) + b with (s, b) from the embedding (adaptive group norm, Dhariwal &amp;
 * Nichol 2021, sec. 3) —; GN, SiLU, dropout, a zero-initialised 3x3 conv; plus the input,
 * through a 1x1 conv when the channels change. Optionally resamples inside the block (BigGAN
 * style, Brock et al. 2019) and rescales the sum by 1/√2 (Dhariwal &amp; Nichol 2021, sec. 3).
 */
public final class ResBlock extends AbstractBlock implements TimestepBlock {

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    /** Resampling inside the block. */
    public enum Resample { NONE, UP, DOWN }

    private final int channels;
    private final int outChannels;
    private final int embedChannels;
    private final float dropout;
    private final boolean scaleShiftNorm;
    private final boolean rescaleSkip;
    private final Resample resample;
    private final long upHeight;
    private final long upWidth;
    private final GroupNorm inNorm;
    private final Conv inConv;
    private final Linear embProjection;
    private final GroupNorm outNorm;
    private final Conv outConv;
    private final Conv skipConv;

    private ResBlock(Builder b) {
        channels = b.channels;
        outChannels = b.outChannels;
        embedChannels = b.embedChannels;
        dropout = b.dropout;
        scaleShiftNorm = b.scaleShiftNorm;
        rescaleSkip = b.rescaleSkip;
        resample = b.resample;
        upHeight = b.upHeight;
        upWidth = b.upWidth;
        inNorm = addChildBlock("in_norm", GroupNorm.builder().setNumChannels(channels)
                .optNumGroups(GroupNorm.groupsFor(channels, b.normGroups)).build());
        inConv = addChildBlock("in_conv", Conv.of(channels, outChannels, 3, 1));
        embProjection = addChildBlock("emb_projection",
                Layers.linear(embedChannels, scaleShiftNorm ? 2 * outChannels : outChannels));
        outNorm = addChildBlock("out_norm", GroupNorm.builder().setNumChannels(outChannels)
                .optNumGroups(GroupNorm.groupsFor(outChannels, b.normGroups)).build());
        outConv = addChildBlock("out_conv", Conv.zero(outChannels, outChannels, 3));
        skipConv = outChannels == channels ? null
                : addChildBlock("skip", Conv.of(channels, outChannels, 1, 1));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        try (ForwardScope s = ForwardScope.open(x, emb)) {
            NDArray h = inNorm.forwardSilu(ps, x, training);
            NDArray skipIn = x;
            if (resample == Resample.DOWN) {
                h = s.advance(h, Downsample.avgPool(h));
                skipIn = Downsample.avgPool(x);
            } else if (resample == Resample.UP) {
                h = s.advance(h, Upsample.nearest(h, upHeight, upWidth));
                skipIn = Upsample.nearest(x, upHeight, upWidth);
            }
            h = s.advance(h, inConv.forward(ps, h, training));
            NDArray e = Layers.apply(embProjection, ps, Silu.silu(emb), training);
            e = e.reshape(e.getShape().get(0), -1, 1, 1);
            h = s.advance(h, scaleShiftNorm ? outNorm.forwardScaleShiftSilu(ps, h, e, training)
                    : outNorm.forwardAddSilu(ps, h, e, training));
            if (training && dropout > 0) {
                h = s.advance(h, ShardedStep.dropout(h, dropout)); // repeatable in a sharded step too
            }
            h = s.advance(h, outConv.forward(ps, h, training));
            NDArray skip = skipConv == null ? skipIn : s.advance(skipIn, skipConv.forward(ps, skipIn, training));
            NDArray out = s.advance(h, skip.add(h));
            s.advance(skip, null);
            return s.keep(rescaleSkip ? s.advance(out, Scalars.mul(out, INV_SQRT2)) : out);
        }
    }

    @Override
    public Shape outputShape(Shape x) {
        long h = x.get(2);
        long w = x.get(3);
        if (resample == Resample.DOWN) {
            h = Downsample.half(h);
            w = Downsample.half(w);
        } else if (resample == Resample.UP) {
            h = upHeight;
            w = upWidth;
        }
        return new Shape(x.get(0), outChannels, h, w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape out = outputShape(x);
        Shape resampled = new Shape(x.get(0), channels, out.get(2), out.get(3));
        inNorm.initialize(manager, dataType, x);
        inConv.initialize(manager, dataType, resampled);
        embProjection.initialize(manager, dataType, new Shape(x.get(0), embedChannels));
        outNorm.initialize(manager, dataType, out);
        outConv.initialize(manager, dataType, out);
        if (skipConv != null) {
            skipConv.initialize(manager, dataType, resampled);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ResBlock}: {@code setChannels} and {@code setEmbedChannels} are required. */
    public static final class Builder {
        private int channels = -1;
        private int outChannels = -1;
        private int embedChannels = -1;
        private float dropout;
        private boolean scaleShiftNorm;
        private boolean rescaleSkip;
        private int normGroups = 32;
        private Resample resample = Resample.NONE;
        private long upHeight;
        private long upWidth;

        /** Input channels. */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Width of the timestep embedding. */
        public Builder setEmbedChannels(int embedChannels) {
            this.embedChannels = embedChannels;
            return this;
        }

        /** Output channels (default: the input channels). */
        public Builder optOutChannels(int outChannels) {
            this.outChannels = outChannels;
            return this;
        }

        /** Dropout rate before the last convolution (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Adaptive group norm: scale and shift from the embedding (default off). */
        public Builder optScaleShiftNorm(boolean scaleShiftNorm) {
            this.scaleShiftNorm = scaleShiftNorm;
            return this;
        }

        /** Scale the residual sum by 1/√2 (default off). */
        public Builder optRescaleSkip(boolean rescaleSkip) {
            this.rescaleSkip = rescaleSkip;
            return this;
        }

        /** Upper bound on the group-norm groups (default 32). */
        public Builder optNormGroups(int normGroups) {
            this.normGroups = normGroups;
            return this;
        }

        /** Halve the spatial size inside the block (average pooling, rounding up). */
        public Builder optDown() {
            this.resample = Resample.DOWN;
            return this;
        }

        /** Upsample inside the block (nearest) to exactly {@code height} x {@code width}. */
        public Builder optUp(long height, long width) {
            this.resample = Resample.UP;
            this.upHeight = height;
            this.upWidth = width;
            return this;
        }

        public ResBlock build() {
            if (outChannels < 0) {
                outChannels = channels;
            }
            if (channels <= 0 || outChannels <= 0 || embedChannels <= 0) {
                throw new IllegalArgumentException("ResBlock needs positive channels, out channels and "
                        + "embed channels, got " + channels + ", " + outChannels + ", " + embedChannels);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("ResBlock dropout must be in [0, 1), got " + dropout);
            }
            if (normGroups <= 0) {
                throw new IllegalArgumentException("ResBlock norm groups must be positive, got " + normGroups);
            }
            if (resample == Resample.UP && (upHeight <= 0 || upWidth <= 0)) {
                throw new IllegalArgumentException("bad upsampling size " + upHeight + "x" + upWidth);
            }
            return new ResBlock(this);
        }
    }
}
