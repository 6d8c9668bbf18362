package io.difflab.kit.nn;

import io.difflab.kit.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over the H·W positions of a feature map (Vaswani et al. 2017,
 * eq. 1, softmax(QᵀK/√d)V per head), as in the DDPM U-Net (Ho et al. 2020, appendix B):
 * x + proj(attention(qkv(GN(x)))), the output projection zero-initialised, optionally scaled by
 * 1/√2. Heads split the channels as guided-diffusion's legacy order does.
 */
public final class AttentionBlock extends AbstractBlock implements TimestepBlock {

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    private final int channels;
    private final int numHeads;
    private final boolean rescaleSkip;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv projOut;

    private AttentionBlock(Builder b) {
        channels = b.channels;
        numHeads = b.numHeadChannels > 0 ? b.channels / b.numHeadChannels : b.numHeads;
        rescaleSkip = b.rescaleSkip;
        norm = addChildBlock("norm", GroupNorm.builder().setNumChannels(channels)
                .optNumGroups(GroupNorm.groupsFor(channels, b.normGroups)).build());
        qkv = addChildBlock("qkv", Conv.of(channels, 3 * channels, 1, 1));
        projOut = addChildBlock("proj_out", Conv.zero(channels, channels, 1));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long length = shape.get(2) * shape.get(3);
        long headChannels = channels / numHeads;
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray h = norm.forward(ps, x, training);
            h = s.advance(h, qkv.forward(ps, h, training));
            NDArray heads = h.reshape(n * numHeads, 3 * headChannels, length);
            if (UNetKernels.enabled()) {
                NDArray attended = UNetKernels.on(heads).attention(heads);
                heads.close();
                h = s.advance(h, attended.reshape(shape));
                attended.close();
            } else {
                h = s.advance(h, attend(heads, headChannels, shape));
            }
            h = s.advance(h, projOut.forward(ps, h, training));
            NDArray out = s.advance(h, x.add(h));
            return s.keep(rescaleSkip ? s.advance(out, Scalars.mul(out, INV_SQRT2)) : out);
        }
    }

    /** softmax(QᵀK/√d)V from NDArray ops: heads (N·heads, 3d, T), the result reshaped to {@code shape}. */
    private static NDArray attend(NDArray heads, long headChannels, Shape shape) {
        NDList parts = heads.split(3, 1);
        NDArray q = Scalars.mul(parts.get(0), 1 / Math.sqrt(headChannels));
        NDArray qT = q.transpose(0, 2, 1);
        // weight[t, s] = Σ_c q[c, t]·k[c, s] / √d, normalised over s
        NDArray weight = qT.matMul(parts.get(1));
        qT.close();
        q.close();
        NDArray logits = weight;
        weight = weight.softmax(-1);
        logits.close();
        // a[c, t] = Σ_s weight[t, s]·v[c, s], computed as (weight·vᵀ)ᵀ: the product then reads
        // weight, and backward writes its gradient, in the weight's own (N·heads, T, T) layout;
        // v·weightᵀ would make backward transpose-copy that large matrix (20x slower softmax backward)
        NDArray vT = parts.get(2).transpose(0, 2, 1);
        NDArray attendedT = weight.matMul(vT);
        vT.close();
        weight.close();
        parts.close();
        heads.close();
        NDArray attended = attendedT.transpose(0, 2, 1);
        NDArray result = attended.reshape(shape);
        attended.close();
        attendedT.close();
        return result;
    }

    /** The number of attention heads. */
    public int getNumHeads() {
        return numHeads;
    }

    @Override
    public Shape outputShape(Shape x) {
        return x;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm.initialize(manager, dataType, x);
        qkv.initialize(manager, dataType, x);
        projOut.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AttentionBlock}: {@code setChannels} is required. */
    public static final class Builder {
        private int channels = -1;
        private int numHeads = 1;
        private int numHeadChannels = -1;
        private int normGroups = 32;
        private boolean rescaleSkip;

        /** Channels of the feature map. */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Number of heads, used unless {@link #optNumHeadChannels} is set (default 1). */
        public Builder optNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /** Channels per head; the heads are then channels / this. -1 (default) uses the head count. */
        public Builder optNumHeadChannels(int numHeadChannels) {
            this.numHeadChannels = numHeadChannels;
            return this;
        }

        /** Upper bound on the group-norm groups (default 32). */
        public Builder optNormGroups(int normGroups) {
            this.normGroups = normGroups;
            return this;
        }

        /** Scale the residual sum by 1/√2 (default off). */
        public Builder optRescaleSkip(boolean rescaleSkip) {
            this.rescaleSkip = rescaleSkip;
            return this;
        }

        public AttentionBlock build() {
            if (channels <= 0) {
                throw new IllegalArgumentException("AttentionBlock needs setChannels > 0, got " + channels);
            }
            if (numHeadChannels == 0 || numHeadChannels < -1) {
                throw new IllegalArgumentException("num_head_channels must be -1 or positive, got "
                        + numHeadChannels);
            }
            if (numHeadChannels > 0 && channels % numHeadChannels != 0) {
                throw new IllegalArgumentException("num_head_channels " + numHeadChannels
                        + " does not divide the " + channels + " channels of an attention layer");
            }
            if (numHeadChannels < 0 && (numHeads <= 0 || channels % numHeads != 0)) {
                throw new IllegalArgumentException("num_heads " + numHeads
                        + " must be positive and divide the " + channels + " channels of an attention layer");
            }
            if (normGroups <= 0) {
                throw new IllegalArgumentException("norm groups must be positive, got " + normGroups);
            }
            return new AttentionBlock(this);
        }
    }
}
