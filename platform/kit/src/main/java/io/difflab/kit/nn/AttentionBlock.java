package io.difflab.kit.nn;

import io.difflab.kit.engine.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over the H·W positions of a feature map (Vaswani et al. 2017,
 * eq. 1, softmax(QᵀK/√d)V per head), as in the DDPM U-Net (Ho et al. 2020, appendix B):
 * x + proj(attention(qkv(GN(x)))), the output projection zero-initialised, optionally scaled by
 * 1/√2. Heads split the channels as guided-diffusion's legacy order does.
 *
 * <p>Built with context channels D, it also reads {@link ContextTokens}: each token state is
 * projected by this layer's own {@code encoder_kv} (D → 2C, split per head into a key and a value)
 * and the L context keys and values are put before the layer's H·W own, so every position attends
 * over the text and the image at once (GLIDE, Nichol et al. 2021, sec. 3.1: "projected to the
 * dimensionality of each attention layer ... and then concatenated to the attention context").
 * Masked tokens get the logit bias of {@link ContextTokens#MASKED}, a softmax weight of exactly 0.
 */
public final class AttentionBlock extends AbstractBlock implements TimestepBlock {

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    private final int channels;
    private final int numHeads;
    private final boolean rescaleSkip;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv projOut;
    private final int contextChannels;
    private final Linear encoderKv;

    private AttentionBlock(Builder b) {
        channels = b.channels;
        numHeads = b.numHeadChannels > 0 ? b.channels / b.numHeadChannels : b.numHeads;
        rescaleSkip = b.rescaleSkip;
        norm = addChildBlock("norm", GroupNorm.builder().setNumChannels(channels)
                .optNumGroups(GroupNorm.groupsFor(channels, b.normGroups)).build());
        qkv = addChildBlock("qkv", Conv.of(channels, 3 * channels, 1, 1));
        projOut = addChildBlock("proj_out", Conv.zero(channels, channels, 1));
        contextChannels = b.contextChannels;
        // GLIDE's encoder_kv is a 1x1 Conv1d over the tokens: a linear map of each token state
        encoderKv = contextChannels > 0 ? addChildBlock("encoder_kv", Layers.linear(contextChannels, 2 * channels))
                : null;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        return forward(ps, x, emb, null, training);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, ContextTokens context, boolean training) {
        if (context != null && context.width() != contextChannels) {
            throw new IllegalArgumentException(contextChannels == 0
                    ? "this attention layer was built without context channels, so it reads no context tokens"
                    : "this attention layer reads context tokens of width " + contextChannels + ", got "
                    + context.width());
        }
        Shape shape = x.getShape();
        long n = shape.get(0);
        long length = shape.get(2) * shape.get(3);
        long headChannels = channels / numHeads;
        try (ForwardScope s = context == null ? ForwardScope.open(x)
                : ForwardScope.open(x, context.states(), context.bias())) {
            NDArray h = norm.forward(ps, x, training);
            h = s.advance(h, qkv.forward(ps, h, training));
            NDArray heads = h.reshape(n * numHeads, 3 * headChannels, length);
            if (context != null) {
                // the fused kernel knows no context: the NDArray composition with the context's keys and values
                h = s.advance(h, attend(heads, contextKeysValues(ps, context, n, headChannels, training),
                        logitBias(s, context, n, length), headChannels, shape));
            } else if (UNetKernels.enabled()) {
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
        return attend(heads, null, null, headChannels, shape);
    }

    /**
     * softmax(QᵀK/√d + bias)V from NDArray ops, the context's keys and values (N·heads, d, L) each, when
     * given, put before the T own ones, and {@code bias} (N·heads, 1, L + T) added to the logits.
     */
    private static NDArray attend(NDArray heads, NDList contextKv, NDArray bias, long headChannels, Shape shape) {
        NDList parts = heads.split(3, 1);
        NDArray keys = contextKv == null ? parts.get(1) : contextKv.get(0).concat(parts.get(1), 2);
        NDArray values = contextKv == null ? parts.get(2) : contextKv.get(1).concat(parts.get(2), 2);
        NDArray q = Scalars.mul(parts.get(0), 1 / Math.sqrt(headChannels));
        NDArray qT = q.transpose(0, 2, 1);
        // weight[t, s] = Σ_c q[c, t]·k[c, s] / √d, normalised over s
        NDArray weight = qT.matMul(keys);
        qT.close();
        q.close();
        if (bias != null) {
            NDArray biased = weight.add(bias);
            weight.close();
            weight = biased;
        }
        NDArray logits = weight;
        weight = weight.softmax(-1);
        logits.close();
        // a[c, t] = Σ_s weight[t, s]·v[c, s], computed as (weight·vᵀ)ᵀ: the product then reads
        // weight, and backward writes its gradient, in the weight's own (N·heads, T, T) layout;
        // v·weightᵀ would make backward transpose-copy that large matrix (20x slower softmax backward)
        NDArray vT = values.transpose(0, 2, 1);
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

    /**
     * The context's keys and values for each head, (N·heads, d, L) each: encoder_kv(states) is
     * (N, L, 2C), read per head as [key channels, value channels] like GLIDE's
     * {@code encoder_kv.reshape(bs * n_heads, ch * 2, -1).split(ch, dim=1)}.
     */
    private NDList contextKeysValues(ParameterStore ps, ContextTokens context, long n, long headChannels,
                                     boolean training) {
        NDArray kv = Layers.apply(encoderKv, ps, context.states(), training);
        return kv.transpose(0, 2, 1).reshape(n * numHeads, 2 * headChannels, context.length()).split(2, 1);
    }

    /** (N·heads, 1, L + T): the context's bias on its L logits, 0 on the T own ones. */
    private NDArray logitBias(ForwardScope s, ContextTokens context, long n, long length) {
        NDArray row = context.bias().concat(s.manager().zeros(new Shape(n, length)), 1);
        long total = context.length() + length;
        return row.reshape(n, 1, 1, total).broadcast(n, numHeads, 1, total).reshape(n * numHeads, 1, total);
    }

    /** The number of attention heads. */
    public int getNumHeads() {
        return numHeads;
    }

    /** D, the width of the context tokens it reads; 0 when it reads none. */
    public int getContextChannels() {
        return contextChannels;
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
        if (encoderKv != null) {
            encoderKv.initialize(manager, dataType, new Shape(x.get(0), contextChannels));
        }
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
        private int contextChannels;

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

        /** D: read context tokens of this width through a projection of its own (default 0: none). */
        public Builder optContextChannels(int contextChannels) {
            this.contextChannels = contextChannels;
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
            if (contextChannels < 0) {
                throw new IllegalArgumentException("context channels must be 0 (none) or positive, got "
                        + contextChannels);
            }
            return new AttentionBlock(this);
        }
    }
}
