package io.difflab.plugins.dalle2;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.DiffusionRecipe;
import io.difflab.kit.nn.transformer.Transformer;
import io.difflab.kit.schedule.CosineSchedule;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * DALL-E 2 / unCLIP (Ramesh et al. 2022; the survey's sec. 3.7), selected by {@code model.name: dalle2}:
 * a CLIP trained elsewhere and frozen ({@code model.clip}), a diffusion prior from captions to CLIP image
 * embeddings ({@link DiffusionPrior}, {@link PriorObjective}) trained first, then a diffusion decoder from
 * image embeddings (and captions) to images trained with the kit's recipe on the spec's diffusion sections
 * ({@link DecoderObjective}); generation runs caption → prior → decoder, or, with
 * {@code sample.reference_images}, decodes variations of each image from its own embedding ({@link Dalle2Model}).
 */
@Extension
public class Dalle2Family implements ModelFamily {

    @Override
    public String name() {
        return "dalle2";
    }

    @Override
    public String description() {
        return "DALL-E 2 / unCLIP (Ramesh et al. 2022): frozen CLIP, diffusion prior over CLIP image embeddings, "
                + "diffusion decoder conditioned on the image embedding and caption, classifier-free guidance";
    }

    @Override
    public List<Option> options() {
        return Dalle2Options.ALL;
    }

    /** The decoder is GLIDE-like: cosine schedule, a text-unet with four context tokens of z_i, CFG. */
    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("schedule.name", "cosine");
        defaults.put("schedule.timesteps", 1000);
        defaults.put("estimator.name", "text-unet");
        defaults.put("estimator.embedding_tokens", 4);
        defaults.put("sampler.name", "ancestral");
        defaults.put("guidance.name", "classifier-free");
        return Collections.unmodifiableMap(defaults);
    }

    @Override
    public Set<String> samplingOptions() {
        return Dalle2Options.SAMPLING;
    }

    @Override
    public Model assemble(ModelContext context) {
        Config model = context.model();
        if (!context.dataset().has(ConditionFields.CAPTION)) {
            throw new UserError("model 'dalle2' learns from captions, but the dataset provides "
                    + context.dataset().fields().keySet() + "; use a captioned dataset (e.g. shapes-captions)");
        }
        String reference = model.has(Dalle2Options.CLIP.key()) ? model.getString(Dalle2Options.CLIP.key()) : null;
        if (reference == null || reference.isBlank()) {
            throw new UserError(model.path() + ".clip: model 'dalle2' needs a trained CLIP (a clip run folder or run "
                    + "name, e.g. runs/clip-shapes, or a TorchScript file)");
        }
        FrozenClip clip = new FrozenClip(reference, context.registry());
        int e;
        try {
            e = clip.embeddingSize();
        } catch (UserError problem) {
            throw new UserError(model.path() + ".clip: " + problem.getMessage(), problem);
        }
        TokenEncoder captions = TokenEncoder.captions(clip.vocabulary());

        DiffusionPrior prior = prior(model, captions, e);
        PriorObjective priorObjective = new PriorObjective(clip,
                CosineSchedule.of(model.getInt(Dalle2Options.PRIOR_TIMESTEPS.key())),
                model.getDouble(Dalle2Options.PRIOR_P_UNCOND.key()));
        TrainableNetwork priorNetwork = TrainableNetwork.auxiliary(Dalle2Model.PRIOR, prior, prior.inputShapes(),
                priorObjective, List.of(captions), model.getInt(Dalle2Options.PRIOR_STEPS.key()));
        PriorSampler sampler = new PriorSampler(
                CosineSchedule.of(model.getInt(Dalle2Options.PRIOR_TIMESTEPS.key())),
                model.getInt(Dalle2Options.PRIOR_SAMPLING_STEPS.key()),
                model.getDouble(Dalle2Options.PRIOR_GUIDANCE_SCALE.key()),
                model.getInt(Dalle2Options.PRIOR_CANDIDATES.key()));

        boolean withCaption = model.getBoolean(Dalle2Options.DECODER_CAPTION.key());
        DiffusionModel decoder = decoder(context, clip, captions, e, withCaption);
        TrainableNetwork estimator = decoder.networks().get(0);
        TrainableNetwork decoderNetwork = new TrainableNetwork(estimator.name(), estimator.block(),
                estimator.inputShapes(), new DecoderObjective(clip, estimator.objective()),
                withCaption ? List.of(captions) : List.of(), estimator.steps(), true, estimator.files());
        boolean variations = context.sampleFields().contains(ConditionFields.REFERENCE_IMAGE);
        DecoderEmbeddings embeddings = new DecoderEmbeddings(clip, captions, prior, sampler, context.dataset().shape());
        return new Dalle2Model(priorNetwork, decoderNetwork, decoder, embeddings,
                model.getString(Dalle2Options.DECODER_EMBEDDING.key()), sampler, variations,
                context.sampleFields().contains(ConditionFields.CAPTION),
                model.getBoolean(Dalle2Options.INTERPOLATE.key()));
    }

    private static DiffusionPrior prior(Config model, TokenEncoder captions, int embeddingSize) {
        try {
            Transformer trunk = Transformer.builder().setWidth(model.getInt(Dalle2Options.PRIOR_WIDTH.key()))
                    .setLayers(model.getInt(Dalle2Options.PRIOR_LAYERS.key()))
                    .setHeads(model.getInt(Dalle2Options.PRIOR_HEADS.key())).build();
            return new DiffusionPrior(captions.vocabulary().size(), captions.vocabulary().contextLength(),
                    embeddingSize, trunk);
        } catch (IllegalArgumentException problem) {
            throw new UserError(model.path() + ": the prior's transformer settings do not fit: "
                    + problem.getMessage(), problem);
        }
    }

    /**
     * The decoder: an estimator of [caption,] z_i, trained on L_hybrid (learned Σ) or L_simple with z_i
     * dropped 10% and the caption 50% of the time (Ramesh et al. 2022, sec. 2.1). Assembled on a view of
     * the dataset that also names z_i's field, which the objective computes from the images.
     */
    private static DiffusionModel decoder(ModelContext context, FrozenClip clip, TokenEncoder captions, int e,
                                          boolean withCaption) {
        Config model = context.model();
        Map<String, Class<?>> fields = new LinkedHashMap<>(context.dataset().fields());
        fields.put(Dalle2Model.IMAGE_EMBEDDING_FIELD, float[].class);
        DatasetInfo dataset = new DatasetInfo(context.dataset().shape(), context.dataset().classNames(), fields);
        ModelContext decoderContext = new ModelContext(context.sections(), dataset, context.sampleFields(),
                context.registry(), context.trainingValues());
        DiffusionRecipe recipe = DiffusionRecipe.of(decoderContext);
        List<ConditionInput> inputs = new ArrayList<>();
        List<ConditionEncoder> encoders = new ArrayList<>();
        Map<String, Double> dropout = new LinkedHashMap<>();
        if (withCaption) {
            inputs.add(captions.input());
            encoders.add(captions);
            dropout.put(Dalle2Model.CAPTION, model.getDouble(Dalle2Options.DECODER_P_UNCOND_CAPTION.key()));
        }
        inputs.add(new ConditionInput(Dalle2Model.IMAGE_EMBEDDING, ConditionKind.EMBEDDING,
                List.of(new Shape(e)), 0));
        encoders.add(new ImageEmbeddingEncoder(e));
        dropout.put(Dalle2Model.IMAGE_EMBEDDING, model.getDouble(Dalle2Options.DECODER_P_UNCOND_EMBEDDING.key()));
        boolean learned = model.getBoolean(Dalle2Options.LEARNED_SIGMA.key());
        ConditionDropout drop = new ConditionDropout(dropout);
        Function<EstimatorNetwork, TrainingObjective> objective = learned
                ? recipe.hybridLoss(model.getDouble(Dalle2Options.VLB_WEIGHT.key()), drop) : recipe.simpleLoss(drop);
        return recipe.setEstimatorSpec(new EstimatorSpec(dataset.shape(), inputs, learned))
                .setConditions(encoders).setObjective(objective).build();
    }
}
