package io.difflab.plugins.glide;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.model.DiffusionRecipe;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GLIDE's text-conditional upsampler (Nichol et al. 2021, sec. 3.2: a 64→256 model; here f = 2 or 4
 * on the dataset's resolution): the base model's text U-Net that also reads a low-resolution image,
 * upsampled, as extra input channels beside x_t. Trained like the base model (L_hybrid, cosine
 * schedule, the caption dropped to ∅ at {@code p_uncond}) on each training image with its own f x f
 * block means as the low-resolution input; samples refine the low-resolution versions of
 * {@code sample.reference_images} under the spec's prompts (guidance none by default, as
 * glide-text2im samples its upsampler).
 */
@Extension
public class GlideUpsamplerFamily implements ModelFamily {

    static final Option FACTOR = Option.integer("factor", 2, 2, 16,
            "f: the low-resolution input is the image averaged over f x f blocks (GLIDE: 4, 64 to 256)");

    private static final List<Option> OPTIONS = List.of(GlideFamily.P_UNCOND, GlideFamily.VLB_WEIGHT, FACTOR,
            CaptionVocabulary.TOKENIZER, CaptionVocabulary.TOKENIZER_VOCABULARY, CaptionVocabulary.TEXT_LENGTH);

    @Override
    public String name() {
        return "glide-upsample";
    }

    @Override
    public String description() {
        return "GLIDE's text-conditional upsampler: the text U-Net reading a low-resolution image as extra channels";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    /** GLIDE's base defaults, with guidance none and attention at the coarser levels only. */
    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>(new GlideFamily().defaults());
        d.put("estimator.attention_resolutions", List.of(8));
        d.put("guidance.name", "none");
        return Map.copyOf(d);
    }

    @Override
    public Model assemble(ModelContext context) {
        if (!context.dataset().has(ConditionFields.CAPTION)) {
            throw new UserError("model 'glide-upsample' trains on captioned images, and the dataset has no captions "
                    + "(it has " + context.dataset().fields().keySet() + ")");
        }
        Config model = context.model();
        LowResolution lowResolution;
        try {
            lowResolution = new LowResolution(context.dataset().shape(), model.getInt(FACTOR.key()));
        } catch (IllegalArgumentException e) {
            throw new UserError(model.path() + "." + FACTOR.key() + ": " + e.getMessage(), e);
        }
        DiffusionRecipe recipe = DiffusionRecipe.of(context);
        TokenEncoder captions = TokenEncoder.captions(CaptionVocabulary.of(context));
        ConditionDropout dropout = ConditionDropout.of(TokenEncoder.CAPTION, model.getDouble(GlideFamily.P_UNCOND.key()));
        var hybrid = recipe.hybridLoss(model.getDouble(GlideFamily.VLB_WEIGHT.key()), dropout);
        return recipe.setEstimatorSpec(new EstimatorSpec(recipe.dataset().shape(),
                        List.of(captions.input(), lowResolution.input()), true))
                .setConditions(List.of(captions))
                .optDerivedConditions(List.of(lowResolution))
                .setObjective(network -> new UpsamplerObjective(hybrid.apply(network), lowResolution))
                .build();
    }
}
