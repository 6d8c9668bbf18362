package io.difflab.plugins.gd;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.UserError;
import io.difflab.kit.condition.LabelEncoder;
import io.difflab.kit.nn.InvalidSetting;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.guidance.ClassifierGuidance;
import io.difflab.kit.guidance.NoisyClassifierObjective;
import io.difflab.kit.model.DiffusionRecipe;
import org.pf4j.Extension;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guided diffusion, Dhariwal &amp; Nichol 2021 (ADM) with the improvements of Nichol &amp; Dhariwal
 * 2021: the cosine schedule, an unconditional U-Net with the ADM architecture switches that
 * predicts ε and the variance interpolation v, trained on L_hybrid, sampled with the learned Σ;
 * and a noise-aware classifier trained after it, for classifier guidance.
 */
@Extension
public class GdFamily implements ModelFamily {

    /** The exit code of a spec that cannot work, as the host's spec validation uses. */
    static final int INVALID_SPEC = 2;
    /** The classifier's U-Net settings under their {@code model.*} keys. */
    private static final Map<String, String> CLASSIFIER_KEYS = Map.of("base_channels", "classifier_channels",
            "channel_mult", "classifier_channel_mult", "num_res_blocks", "classifier_depth",
            "attention_resolutions", "classifier_attention_resolutions", "num_head_channels", "classifier_head_channels",
            "num_heads", "classifier_head_channels");

    static final Option VLB_WEIGHT = Option.real("vlb_weight", HybridLossObjective.DEFAULT_VLB_WEIGHT, 0.0, 1.0,
            "lambda in L_hybrid = L_simple + lambda * L_vlb (Nichol & Dhariwal 2021, eq. 16)");
    static final Option CLASSIFIER_STEPS = Option.integer("classifier_steps", 500, 0, 10_000_000,
            "optimizer steps of the noise-aware classifier, trained after the estimator (0 = no classifier)");
    static final Option CLASSIFIER_CHANNELS = Option.integer("classifier_channels", 32, 1, 1024,
            "channels of the classifier's first level");
    static final Option CLASSIFIER_CHANNEL_MULT = Option.intList("classifier_channel_mult", List.of(1, 2, 2), 1, 16,
            "channel multiplier per level of the classifier's encoder");
    static final Option CLASSIFIER_DEPTH = Option.integer("classifier_depth", 1, 1, 16,
            "residual blocks per level of the classifier's encoder");
    static final Option CLASSIFIER_ATTENTION = Option.intList("classifier_attention_resolutions", List.of(7),
            1, 4096, "feature-map heights with self-attention in the classifier");
    static final Option CLASSIFIER_HEAD_CHANNELS = Option.integer("classifier_head_channels", 32, -1, 1024,
            "channels per attention head in the classifier (-1 = one head)");

    private static final List<Option> OPTIONS = List.of(VLB_WEIGHT, CLASSIFIER_STEPS, CLASSIFIER_CHANNELS,
            CLASSIFIER_CHANNEL_MULT, CLASSIFIER_DEPTH, CLASSIFIER_ATTENTION, CLASSIFIER_HEAD_CHANNELS);

    @Override
    public String name() {
        return "gd";
    }

    @Override
    public String description() {
        return "guided diffusion (Dhariwal & Nichol 2021): learned variance, L_hybrid, ADM U-Net, classifier guidance";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    /**
     * The cosine schedule (Nichol &amp; Dhariwal 2021, sec. 3.2) over T = 1000 (the paper's 4000
     * costs 4x the sampling steps to reach, for little gain at 28x28 on a CPU); the ADM U-Net
     * (Dhariwal &amp; Nichol 2021, sec. 3: adaptive group norm, BigGAN residual up/downsampling,
     * 32 channels per head, attention at 14 and 7 pixels; no 1/√2 skip rescaling, which they did
     * not adopt); ancestral sampling with the learned variance; classifier guidance.
     */
    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("schedule.name", "cosine");
        d.put("schedule.timesteps", 1000);
        d.put("estimator.name", "unet");
        d.put("estimator.use_scale_shift_norm", true);
        d.put("estimator.resblock_updown", true);
        d.put("estimator.num_head_channels", 32);
        d.put("estimator.attention_resolutions", List.of(14, 7));
        d.put("estimator.rescale_skip", false);
        d.put("sampler.name", "ancestral");
        d.put("sampler.variance", "learned");
        d.put("guidance.name", ClassifierGuidance.CLASSIFIER);
        return Collections.unmodifiableMap(d);
    }

    /**
     * An unconditional estimator (the guidance supplies the class) with learned variance (2C output
     * channels), trained on L_hybrid with λ = {@code vlb_weight} and t uniform (Nichol &amp; Dhariwal
     * 2021, sec. 3.1); then the noise-aware classifier, named {@code classifier}, on a labeled dataset
     * unless {@code classifier_steps} is 0.
     */
    @Override
    public Model assemble(ModelContext context) {
        DiffusionRecipe recipe = DiffusionRecipe.of(context);
        Config model = context.model();
        GaussianDiffusion diffusion = new GaussianDiffusion(recipe.schedule());
        return recipe.setEstimatorSpec(new EstimatorSpec(recipe.dataset().shape(), List.of(), true))
                .setObjective(recipe.hybridLoss(model.getDouble(VLB_WEIGHT.key()), ConditionDropout.NONE))
                .optAuxiliary(classifier(model, diffusion, recipe.dataset()))
                .build();
    }

    /** The noise-aware classifier; none on an unlabeled dataset or at 0 steps. */
    private static List<TrainableNetwork> classifier(Config model, GaussianDiffusion diffusion, DatasetInfo dataset) {
        int steps = model.getInt(CLASSIFIER_STEPS.key());
        int classes = dataset.numClasses();
        if (steps == 0 || classes == 0) {
            return List.of();
        }
        NoiseAwareClassifier classifier;
        try {
            classifier = NoiseAwareClassifier.builder().setImageShape(dataset.shape()).setNumClasses(classes)
                    .optBaseChannels(model.getInt(CLASSIFIER_CHANNELS.key()))
                    .optChannelMult(model.getIntList(CLASSIFIER_CHANNEL_MULT.key()))
                    .optNumResBlocks(model.getInt(CLASSIFIER_DEPTH.key()))
                    .optAttentionResolutions(model.getIntList(CLASSIFIER_ATTENTION.key()))
                    .optNumHeadChannels(model.getInt(CLASSIFIER_HEAD_CHANNELS.key()))
                    .build();
        } catch (InvalidSetting e) {
            String key = CLASSIFIER_KEYS.getOrDefault(e.key(), e.key());
            throw new UserError(model.path() + "." + key + ": " + e.problem() + " (the noise-aware classifier)",
                    INVALID_SPEC, e);
        } catch (IllegalArgumentException e) {
            throw new UserError(model.path() + ": the classifier settings do not fit: " + e.getMessage(), INVALID_SPEC, e);
        }
        Shape[] inputs = {dataset.shape().batch(1), new Shape(1)};
        return List.of(TrainableNetwork.auxiliary(ClassifierGuidance.CLASSIFIER, classifier, inputs,
                new NoisyClassifierObjective(diffusion), List.of(new LabelEncoder(classes)), steps));
    }
}
