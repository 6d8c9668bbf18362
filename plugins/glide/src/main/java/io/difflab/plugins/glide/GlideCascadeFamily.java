package io.difflab.plugins.glide;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.DiffusionRecipe;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GLIDE's cascade in one run (Nichol et al. 2021, sec. 3.2): the base model ({@link GlideFamily}'s
 * recipe) at the dataset's resolution divided by {@code factor}, trained on the images' block means,
 * then the upsampler ({@link GlideUpsamplerFamily}'s) at the dataset's resolution; both read the
 * captions with a transformer of the {@code estimator} section's settings. The base samples with the
 * spec's {@code sampler} and {@code guidance}; the upsampler with the same sampler at
 * {@code upsampler_sampler_steps} respaced steps and no guidance ({@link CascadeModel}).
 */
@Extension
public class GlideCascadeFamily implements ModelFamily {

    static final Option UPSAMPLER_STEPS = Option.integer("upsampler_steps", 1000, 1, Integer.MAX_VALUE,
            "optimizer steps of the upsampler, trained after the base model (train.steps)");
    static final Option UPSAMPLER_SAMPLER_STEPS = Option.integer("upsampler_sampler_steps", 27, 1, 100_000,
            "respaced steps of the upsampler's sampler (glide-text2im: 27)");

    private static final List<Option> OPTIONS = List.of(GlideFamily.P_UNCOND, GlideFamily.VLB_WEIGHT,
            GlideUpsamplerFamily.FACTOR, UPSAMPLER_STEPS, UPSAMPLER_SAMPLER_STEPS, CaptionVocabulary.TOKENIZER,
            CaptionVocabulary.TOKENIZER_VOCABULARY, CaptionVocabulary.TEXT_LENGTH);

    @Override
    public String name() {
        return "glide-cascade";
    }

    @Override
    public String description() {
        return "GLIDE's cascade: a base model at 1/f of the resolution, then its text-conditional upsampler";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    /** GLIDE's base defaults. */
    @Override
    public Map<String, Object> defaults() {
        return new GlideFamily().defaults();
    }

    /** Only sampling reads the upsampler's respacing. */
    @Override
    public Set<String> samplingOptions() {
        return Set.of(UPSAMPLER_SAMPLER_STEPS.key());
    }

    @Override
    public Model assemble(ModelContext context) {
        DatasetInfo dataset = context.dataset();
        if (!dataset.has(ConditionFields.CAPTION)) {
            throw new UserError("model 'glide-cascade' trains on captioned images, and the dataset has no captions "
                    + "(it has " + dataset.fields().keySet() + ")");
        }
        Config model = context.model();
        int factor = model.getInt(GlideUpsamplerFamily.FACTOR.key());
        LowResolution lowResolution;
        try {
            lowResolution = new LowResolution(dataset.shape(), factor);
        } catch (IllegalArgumentException e) {
            throw new UserError(model.path() + "." + GlideUpsamplerFamily.FACTOR.key() + ": " + e.getMessage(), e);
        }
        TokenEncoder captions = TokenEncoder.captions(CaptionVocabulary.of(context));
        ConditionDropout dropout = ConditionDropout.of(TokenEncoder.CAPTION, model.getDouble(GlideFamily.P_UNCOND.key()));
        double vlbWeight = model.getDouble(GlideFamily.VLB_WEIGHT.key());

        ImageShape shape = dataset.shape();
        ImageShape low = new ImageShape(shape.channels(), shape.height() / factor, shape.width() / factor);
        DiffusionRecipe baseRecipe = DiffusionRecipe.of(withDataset(context, new DatasetInfo(low, dataset.classNames(),
                dataset.fields())));
        DiffusionModel base = baseRecipe.setEstimatorSpec(new EstimatorSpec(low, List.of(captions.input()), true))
                .setConditions(List.of(captions))
                .setObjective(baseRecipe.hybridLoss(vlbWeight, dropout))
                .build();

        DiffusionRecipe upRecipe = DiffusionRecipe.of(upsamplerContext(context));
        var hybrid = upRecipe.hybridLoss(vlbWeight, dropout);
        DiffusionModel upsampler = upRecipe.setEstimatorSpec(new EstimatorSpec(shape,
                        List.of(captions.input(), lowResolution.input()), true))
                .setConditions(List.of(captions))
                .optDerivedConditions(List.of(lowResolution))
                .setObjective(network -> new UpsamplerObjective(hybrid.apply(network), lowResolution))
                .build();

        TrainableNetwork b = base.networks().get(0);
        TrainableNetwork u = upsampler.networks().get(0);
        List<TrainableNetwork> networks = List.of(
                TrainableNetwork.primary(DiffusionModel.ESTIMATOR, b.block(), b.inputShapes(),
                        new DownsampledObjective(b.objective(), lowResolution), b.conditions()),
                TrainableNetwork.auxiliary(CascadeModel.UPSAMPLER, u.block(), u.inputShapes(), u.objective(),
                        u.conditions(), model.getInt(UPSAMPLER_STEPS.key())));
        return new CascadeModel(base, upsampler, networks, factor);
    }

    private static ModelContext withDataset(ModelContext context, DatasetInfo dataset) {
        return new ModelContext(context.sections(), dataset, context.sampleFields(), context.registry(),
                context.trainingValues());
    }

    /** The spec's sections with the upsampler's sampler (its own respacing) and no guidance. */
    private static ModelContext upsamplerContext(ModelContext context) {
        Map<String, Config> sections = new LinkedHashMap<>(context.sections());
        Map<String, Object> sampler = new LinkedHashMap<>(context.section("sampler").asMap());
        sampler.put("steps", context.model().getInt(UPSAMPLER_SAMPLER_STEPS.key()));
        sections.put("sampler", new Config("sampler", sampler));
        sections.put("guidance", new Config("guidance", Map.of("name", "none")));
        return new ModelContext(sections, context.dataset(), context.sampleFields(), context.registry(),
                context.trainingValues());
    }
}
