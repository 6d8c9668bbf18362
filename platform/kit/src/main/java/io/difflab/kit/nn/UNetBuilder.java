package io.difflab.kit.nn;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageShape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds a {@link UNet} (or its {@link UNetEncoder} alone): {@code setImageShape} is required;
 * the other settings default to guided-diffusion's UNetModel. Each of Dhariwal &amp; Nichol's
 * architecture changes is an independent switch.
 */
public final class UNetBuilder {

    ImageShape imageShape;
    int outChannels = -1;
    int baseChannels = 64;
    List<Integer> channelMult = List.of(1, 2, 2);
    int numResBlocks = 2;
    List<Integer> attentionResolutions = List.of();
    float dropout;
    int numHeads = 1;
    int numHeadChannels = -1;
    boolean resblockUpdown;
    boolean rescaleSkip;
    boolean scaleShiftNorm;
    boolean convResample = true;
    List<ConditionInput> conditions = List.of();
    Map<String, Integer> contextTokens = new LinkedHashMap<>();
    int contextWidth;
    int normGroups = 32;

    UNetBuilder() {
    }

    /** The shape of x_t; attention resolutions and odd-size upsampling are resolved against it. */
    public UNetBuilder setImageShape(ImageShape imageShape) {
        this.imageShape = imageShape;
        return this;
    }

    /** Output channels (default: the image channels; twice that with learned variance). */
    public UNetBuilder optOutChannels(int outChannels) {
        this.outChannels = outChannels;
        return this;
    }

    /** Channels of the first level (the reference's model_channels; default 64). */
    public UNetBuilder optBaseChannels(int baseChannels) {
        this.baseChannels = baseChannels;
        return this;
    }

    /** Channel multiplier of each level; its length is the number of levels (default [1, 2, 2]). */
    public UNetBuilder optChannelMult(List<Integer> channelMult) {
        this.channelMult = List.copyOf(channelMult);
        return this;
    }

    /** Residual blocks per level (default 2). */
    public UNetBuilder optNumResBlocks(int numResBlocks) {
        this.numResBlocks = numResBlocks;
        return this;
    }

    /** Feature-map heights, in pixels, at which attention follows each residual block (default none). */
    public UNetBuilder optAttentionResolutions(List<Integer> attentionResolutions) {
        this.attentionResolutions = List.copyOf(attentionResolutions);
        return this;
    }

    /** Dropout rate inside the residual blocks (default 0). */
    public UNetBuilder optDropout(float dropout) {
        this.dropout = dropout;
        return this;
    }

    /** Attention heads (default 1). */
    public UNetBuilder optNumHeads(int numHeads) {
        this.numHeads = numHeads;
        return this;
    }

    /** Channels per attention head, overriding the head count; -1 (default) uses the head count. */
    public UNetBuilder optNumHeadChannels(int numHeadChannels) {
        this.numHeadChannels = numHeadChannels;
        return this;
    }

    /** BigGAN-style residual blocks for up- and downsampling (default off). */
    public UNetBuilder optResblockUpdown(boolean resblockUpdown) {
        this.resblockUpdown = resblockUpdown;
        return this;
    }

    /** Residual connections scaled by 1/√2 (default off). */
    public UNetBuilder optRescaleSkip(boolean rescaleSkip) {
        this.rescaleSkip = rescaleSkip;
        return this;
    }

    /** Adaptive group norm from the timestep embedding (default off). */
    public UNetBuilder optUseScaleShiftNorm(boolean scaleShiftNorm) {
        this.scaleShiftNorm = scaleShiftNorm;
        return this;
    }

    /** Learned convolutions for up- and downsampling rather than pooling / bare interpolation (default on). */
    public UNetBuilder optConvResample(boolean convResample) {
        this.convResample = convResample;
        return this;
    }

    /** Class-conditional on {@code numClasses} labels (0: unconditional); short for {@link #optConditions}. */
    public UNetBuilder optNumClasses(int numClasses) {
        this.conditions = numClasses > 0 ? List.of(ConditionInput.labels(numClasses)) : List.of();
        return this;
    }

    /** The conditions it consumes, in input order (see {@link ConditionHooks} for where each enters). */
    public UNetBuilder optConditions(List<ConditionInput> conditions) {
        this.conditions = List.copyOf(conditions);
        return this;
    }

    /**
     * Projects the embedding condition {@code condition} into {@code tokens} context tokens as well
     * as into the timestep embedding (unCLIP's decoder: 4 tokens from the CLIP image embedding,
     * Ramesh et al. 2022, sec. 2.1); default none.
     */
    public UNetBuilder optContextTokens(String condition, int tokens) {
        contextTokens.put(condition, tokens);
        return this;
    }

    /**
     * D, the width of the context tokens (default 0: that of the token-state conditions, or the
     * timestep embedding's when only embeddings give context tokens).
     */
    public UNetBuilder optContextWidth(int contextWidth) {
        this.contextWidth = contextWidth;
        return this;
    }

    /** Upper bound on the group-norm groups (default 32); see {@link GroupNorm#groupsFor}. */
    public UNetBuilder optNormGroups(int normGroups) {
        this.normGroups = normGroups;
        return this;
    }

    /** Validates the settings and builds the network. */
    public UNet build() {
        validate();
        return new UNet(this);
    }

    /** Validates the settings and builds the encoder half alone (input blocks and middle block). */
    public UNetEncoder buildEncoder() {
        validate();
        return new UNetEncoder(this);
    }

    int embedDim() {
        return 4 * baseChannels;
    }

    /** x_t's channels plus those of image-like conditions, which join x_t at the input. */
    int inputChannels() {
        int extra = 0;
        for (ConditionInput c : conditions) {
            if (isImageLike(c.kind())) {
                extra += Math.toIntExact(c.itemShapes().get(0).get(0));
            }
        }
        return imageShape.channels() + extra;
    }

    static boolean isImageLike(ConditionKind kind) {
        return kind == ConditionKind.IMAGE || kind == ConditionKind.LOW_RES_IMAGE || kind == ConditionKind.MASK;
    }

    /**
     * D of the context tokens the attention layers read: the option, else the token states' width,
     * else the timestep embedding's when embeddings give tokens; 0 without any context source.
     */
    int contextWidth() {
        boolean tokens = conditions.stream().anyMatch(c -> c.kind() == ConditionKind.EMBEDDING
                && contextTokens.getOrDefault(c.name(), 0) > 0);
        Integer states = conditions.stream().filter(c -> c.kind() == ConditionKind.TOKEN_STATES)
                .map(c -> Math.toIntExact(c.itemShapes().get(0).get(1))).findFirst().orElse(null);
        if (states == null && !tokens) {
            return 0;
        }
        return contextWidth > 0 ? contextWidth : states != null ? states : embedDim();
    }

    /** {height, width} of the feature maps at a level: each level halves, rounding up. */
    long[] levelSize(int level) {
        long h = imageShape.height();
        long w = imageShape.width();
        for (int i = 0; i < level; i++) {
            h = Downsample.half(h);
            w = Downsample.half(w);
        }
        return new long[] {h, w};
    }

    boolean hasAttention(int level) {
        return attentionResolutions.contains((int) levelSize(level)[0]);
    }

    ResBlock.Builder resBlock(int in, int out) {
        return ResBlock.builder().setChannels(in).optOutChannels(out).setEmbedChannels(embedDim())
                .optDropout(dropout).optScaleShiftNorm(scaleShiftNorm).optRescaleSkip(rescaleSkip)
                .optNormGroups(normGroups);
    }

    AttentionBlock attention(int channels) {
        return AttentionBlock.builder().setChannels(channels).optNumHeads(numHeads)
                .optNumHeadChannels(numHeadChannels).optNormGroups(normGroups).optRescaleSkip(rescaleSkip)
                .optContextChannels(contextWidth()).build();
    }

    /** Output channels of every encoder block, in order (guided-diffusion's input_block_chans). */
    List<Integer> skipChannels() {
        List<Integer> chans = new ArrayList<>();
        chans.add(baseChannels * channelMult.get(0));
        for (int level = 0; level < channelMult.size(); level++) {
            for (int i = 0; i < numResBlocks; i++) {
                chans.add(baseChannels * channelMult.get(level));
            }
            if (level != channelMult.size() - 1) {
                chans.add(baseChannels * channelMult.get(level));
            }
        }
        return chans;
    }

    private void validate() {
        if (imageShape == null) {
            throw new IllegalArgumentException("UNet needs setImageShape");
        }
        if (outChannels == -1) {
            outChannels = imageShape.channels();
        }
        check(outChannels > 0, "out_channels", "must be positive, got " + outChannels);
        check(baseChannels > 0, "base_channels", "must be positive, got " + baseChannels);
        check(!channelMult.isEmpty() && channelMult.stream().allMatch(m -> m != null && m > 0), "channel_mult",
                "must be a non-empty list of positive integers (one per level), got " + channelMult);
        check(numResBlocks > 0, "num_res_blocks", "must be positive, got " + numResBlocks);
        check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
        for (ConditionInput c : conditions) {
            check(c.kind() != ConditionKind.LABEL || c.cardinality() > 0,
                    "condition '" + c.name() + "' needs a positive class count, got " + c.cardinality());
        }
        validateContext();
        check(normGroups > 0, "norm_groups", "must be positive, got " + normGroups);
        List<Long> heights = new ArrayList<>();
        for (int level = 0; level < channelMult.size(); level++) {
            heights.add(levelSize(level)[0]);
        }
        for (int res : attentionResolutions) {
            check(heights.contains((long) res), "attention_resolutions", res + " matches no level of this U-Net: "
                    + "its levels are " + heights.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " pixels high");
        }
        for (int level = 0; level < channelMult.size(); level++) {
            if (hasAttention(level) || level == channelMult.size() - 1) {
                int channels = baseChannels * channelMult.get(level);
                try {
                    attention(channels); // validates the head split
                } catch (IllegalArgumentException e) {
                    String key = numHeadChannels > 0 ? "num_head_channels" : "num_heads";
                    int value = numHeadChannels > 0 ? numHeadChannels : numHeads;
                    throw new InvalidSetting(key, value + " does not divide the " + channels
                            + " channels of the attention layer at level " + level + " (base_channels "
                            + baseChannels + " x channel_mult " + channelMult.get(level) + ")");
                }
            }
        }
    }

    private void validateContext() {
        check(contextWidth >= 0, "the context width must be 0 (automatic) or positive, got " + contextWidth);
        for (Map.Entry<String, Integer> e : contextTokens.entrySet()) {
            check(conditions.stream().anyMatch(c -> c.name().equals(e.getKey()) && c.kind() == ConditionKind.EMBEDDING),
                    "context tokens are asked of condition '" + e.getKey() + "', which is not an embedding "
                            + "condition of this U-Net");
            check(e.getValue() >= 0, "condition '" + e.getKey() + "' cannot give " + e.getValue() + " context tokens");
        }
        List<ConditionInput> states = conditions.stream().filter(c -> c.kind() == ConditionKind.TOKEN_STATES).toList();
        for (ConditionInput c : states) {
            List<Shape> shapes = c.itemShapes();
            check(shapes.size() == 2 && shapes.get(0).dimension() == 2 && shapes.get(1).dimension() == 1
                    && shapes.get(0).get(0) == shapes.get(1).get(0) && shapes.get(0).get(1) > 0,
                    "token states '" + c.name() + "' must be shaped (L, D) with a mask (L), got " + shapes);
        }
        int width = contextWidth();
        for (ConditionInput c : states) {
            check(c.itemShapes().get(0).get(1) == width, "token states '" + c.name() + "' are "
                    + c.itemShapes().get(0).get(1) + " wide, but this U-Net's context tokens are " + width
                    + " wide; they must agree");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void check(boolean condition, String key, String message) {
        if (!condition) {
            throw new InvalidSetting(key, message);
        }
    }
}
