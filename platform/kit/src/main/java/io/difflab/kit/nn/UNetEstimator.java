package io.difflab.kit.nn;

import io.difflab.api.Config;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.Option;
import io.difflab.api.Parameterization;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;

/**
 * The {@code unet} noise estimator: the diffusion {@link UNet} predicting ε (Ho et al. 2020),
 * with Dhariwal &amp; Nichol 2021's architecture changes as independent switches. It reads every
 * condition the family gives it as {@link ConditionHooks} says; token ids need {@code text-unet}.
 */
@Extension
public final class UNetEstimator implements NoiseEstimator {

    /** The U-Net's options, shared with {@link TextUNetEstimator}. */
    static final List<Option> OPTIONS = List.of(
            Option.integer("base_channels", 64, 1, 1024, "channels of the first level"),
            Option.intList("channel_mult", List.of(1, 2, 2), 1, 16,
                    "channel multiplier per level; the list length is the number of levels"),
            Option.integer("num_res_blocks", 2, 1, 16, "residual blocks per level (depth)"),
            Option.intList("attention_resolutions", List.of(14), 1, 4096,
                    "feature-map heights in pixels at which self-attention is used (e.g. 14 for 28x28 images)"),
            Option.real("dropout", 0.1, 0.0, 0.95, "dropout rate in the residual blocks"),
            Option.integer("num_heads", 4, 1, 64, "attention heads"),
            Option.integer("num_head_channels", -1, -1, 1024,
                    "channels per attention head instead of a fixed head count; -1 = use num_heads"),
            Option.bool("resblock_updown", false, "BigGAN-style residual blocks for up- and downsampling"),
            Option.bool("rescale_skip", false, "scale residual connections by 1/sqrt(2)"),
            Option.bool("use_scale_shift_norm", false, "adaptive group norm: scale and shift from the timestep embedding"),
            Option.integer("norm_groups", 32, 1, 1024,
                    "group-norm groups (each layer: the largest divisor of its channels up to this, at least 2 channels per group)"));

    @Override
    public String name() {
        return "unet";
    }

    @Override
    public String description() {
        return "U-Net with timestep embedding, residual blocks and self-attention (Ho et al. 2020; "
                + "Dhariwal & Nichol 2021 switches)";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    @Override
    public EstimatorNetwork build(Config config, EstimatorSpec spec) {
        UNetBuilder builder = configure(config, spec).optConditions(spec.conditions());
        try {
            return new EstimatorNetwork(builder.build(), Parameterization.EPSILON, spec);
        } catch (IllegalArgumentException e) {
            throw new UserError(config.path() + ": " + e.getMessage(), e);
        }
    }

    /** A builder with {@link #OPTIONS} read from {@code config}, for {@code spec}'s image shape and output. */
    static UNetBuilder configure(Config config, EstimatorSpec spec) {
        return UNet.builder()
                .setImageShape(spec.imageShape())
                .optOutChannels(spec.outputChannels())
                .optBaseChannels(config.getInt("base_channels"))
                .optChannelMult(config.getIntList("channel_mult"))
                .optNumResBlocks(config.getInt("num_res_blocks"))
                .optAttentionResolutions(config.getIntList("attention_resolutions"))
                .optDropout((float) config.getDouble("dropout"))
                .optNumHeads(config.getInt("num_heads"))
                .optNumHeadChannels(config.getInt("num_head_channels"))
                .optResblockUpdown(config.getBoolean("resblock_updown"))
                .optRescaleSkip(config.getBoolean("rescale_skip"))
                .optUseScaleShiftNorm(config.getBoolean("use_scale_shift_norm"))
                .optNormGroups(config.getInt("norm_groups"));
    }
}
