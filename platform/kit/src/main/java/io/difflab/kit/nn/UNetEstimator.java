package io.difflab.kit.nn;

import ai.djl.nn.Block;
import io.difflab.api.Config;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.Option;
import io.difflab.api.Parameterization;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code unet} noise estimator: the diffusion {@link UNet} predicting ε (Ho et al. 2020), x_0
 * or v (Salimans &amp; Ho 2022) as {@code prediction} says, with Dhariwal &amp; Nichol 2021's
 * architecture changes as independent switches. It reads every condition the family gives it as
 * {@link ConditionHooks} says; token ids need {@code text-unet}.
 */
@Extension
public final class UNetEstimator implements NoiseEstimator {

    /** The exit code of a spec that cannot work, as the host's spec validation uses. */
    static final int INVALID_SPEC = 2;

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
                    "group-norm groups (each layer: the largest divisor of its channels up to this, at least 2 channels per group)"),
            Option.choice("prediction", "epsilon", List.of("epsilon", "x0", "v"), "what the network predicts, and "
                    + "so what its loss regresses: the noise (Ho et al. 2020), x_0, or v (Salimans & Ho 2022)"));

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
        return network(config, spec, builder::build);
    }

    /**
     * The network {@code build} makes, with the output convention {@code prediction} names; a setting
     * that cannot work is a spec error naming its key when the builder knows it.
     */
    static EstimatorNetwork network(Config config, EstimatorSpec spec, Supplier<? extends Block> build) {
        try {
            return new EstimatorNetwork(build.get(), parameterization(config.getString("prediction")), spec);
        } catch (InvalidSetting e) {
            throw new UserError(config.path() + "." + e.key() + ": " + e.problem(), INVALID_SPEC, e);
        } catch (IllegalArgumentException e) {
            throw new UserError(config.path() + ": " + e.getMessage(), INVALID_SPEC, e);
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

    /** The {@code prediction} option's value as the output convention. */
    static Parameterization parameterization(String prediction) {
        return switch (prediction) {
            case "x0" -> Parameterization.X0;
            case "v" -> Parameterization.V;
            default -> Parameterization.EPSILON;
        };
    }
}
