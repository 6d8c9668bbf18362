package io.difflab.plugins.glide;

import io.difflab.api.Config;
import io.difflab.api.ConditionFields;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.model.DiffusionRecipe;
import io.difflab.kit.nn.TextEncoders;
import org.pf4j.Extension;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GLIDE, Nichol et al. 2021: a text-conditional ADM. The caption's tokens go through a transformer
 * trained with the U-Net (the kit's {@code text-unet} with its {@code transformer} encoder); the
 * state at the last position is projected into the timestep embedding and every token state is
 * projected to keys and values appended to each attention layer's own (sec. 3.1). The U-Net
 * predicts ε and the variance interpolation v on the cosine schedule, trained on L_hybrid
 * (Nichol &amp; Dhariwal 2021, eq. 16) with the caption replaced by the empty caption ∅ 20% of the
 * time (sec. 3.2), so the one network samples under classifier-free guidance on its ε channels
 * (the kit's {@code classifier-free} head, the default) or under CLIP guidance by a noise-aware
 * CLIP ({@code glide-clip}, {@link ClipGuidance}).
 */
@Extension
public class GlideFamily implements ModelFamily {

    /** Nichol et al. 2021, sec. 3.2: "we replace text token sequences with the empty sequence 20% of the time". */
    static final double DEFAULT_P_UNCOND = 0.2;

    static final Option P_UNCOND = Option.real("p_uncond", DEFAULT_P_UNCOND, 0.0, 1.0,
            "probability that a training caption is replaced by the empty caption (GLIDE: 0.2)");
    static final Option VLB_WEIGHT = Option.real("vlb_weight", HybridLossObjective.DEFAULT_VLB_WEIGHT, 0.0, 1.0,
            "lambda in L_hybrid = L_simple + lambda * L_vlb (Nichol & Dhariwal 2021, eq. 16)");

    private static final List<Option> OPTIONS = List.of(P_UNCOND, VLB_WEIGHT, CaptionVocabulary.TOKENIZER,
            CaptionVocabulary.TOKENIZER_VOCABULARY, CaptionVocabulary.TEXT_LENGTH);

    @Override
    public String name() {
        return "glide";
    }

    @Override
    public String description() {
        return "GLIDE (Nichol et al. 2021): text-conditional ADM with a text transformer, learned variance, "
                + "caption dropout for classifier-free guidance, CLIP guidance";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    /**
     * The cosine schedule over T = 1000; the {@code text-unet} with GLIDE's transformer encoder and
     * the ADM switches (scale-shift norm, residual up/downsampling, 32 channels per head, attention at
     * 16 and 8 pixels of 32x32 scenes); ancestral sampling with the learned Σ; classifier-free guidance
     * at s = 3 (GLIDE's samples use 3).
     */
    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("schedule.name", "cosine");
        d.put("schedule.timesteps", 1000);
        d.put("estimator.name", "text-unet");
        d.put("estimator.text_encoder", TextEncoders.TRANSFORMER);
        d.put("estimator.use_scale_shift_norm", true);
        d.put("estimator.resblock_updown", true);
        d.put("estimator.num_head_channels", 32);
        d.put("estimator.attention_resolutions", List.of(16, 8));
        d.put("sampler.name", "ancestral");
        d.put("sampler.variance", "learned");
        d.put("guidance.name", "classifier-free");
        return Collections.unmodifiableMap(d);
    }

    /**
     * An estimator of captions (ids and mask through the caption vocabulary) that learns its variance
     * (2C output channels), trained on L_hybrid with λ = {@code vlb_weight}, the caption dropped to ∅
     * with probability {@code p_uncond}.
     */
    @Override
    public Model assemble(ModelContext context) {
        if (!context.dataset().has(ConditionFields.CAPTION)) {
            throw new UserError("model 'glide' trains on captioned images, and the dataset has no captions (it has "
                    + context.dataset().fields().keySet() + "); use shapes-captions or an image folder with captions");
        }
        DiffusionRecipe recipe = DiffusionRecipe.of(context);
        Config model = context.model();
        TokenEncoder captions = TokenEncoder.captions(CaptionVocabulary.of(context));
        ConditionDropout dropout = ConditionDropout.of(TokenEncoder.CAPTION, model.getDouble(P_UNCOND.key()));
        return recipe.setEstimatorSpec(new EstimatorSpec(recipe.dataset().shape(), List.of(captions.input()), true))
                .setConditions(List.of(captions))
                .setObjective(recipe.hybridLoss(model.getDouble(VLB_WEIGHT.key()), dropout))
                .build();
    }
}
