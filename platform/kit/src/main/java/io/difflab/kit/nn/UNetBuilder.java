package io.difflab.kit.nn;

import io.difflab.api.ConditionInput;
import io.difflab.api.ImageShape;

import java.util.ArrayList;
import java.util.List;
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
            if (c.kind() == io.difflab.api.ConditionKind.IMAGE || c.kind() == io.difflab.api.ConditionKind.LOW_RES_IMAGE
                    || c.kind() == io.difflab.api.ConditionKind.MASK) {
                extra += Math.toIntExact(c.itemShapes().get(0).get(0));
            }
        }
        return imageShape.channels() + extra;
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
                .optNumHeadChannels(numHeadChannels).optNormGroups(normGroups).optRescaleSkip(rescaleSkip).build();
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
            if (c.kind() == io.difflab.api.ConditionKind.LABEL && c.cardinality() <= 0) {
                throw new IllegalArgumentException("condition '" + c.name() + "' needs a positive class count, got "
                        + c.cardinality());
            }
        }
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

    private static void check(boolean condition, String key, String message) {
        if (!condition) {
            throw new InvalidSetting(key, message);
        }
    }
}
