package io.difflab.plugins.dalle;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.nn.transformer.Transformer;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DALL-E (Ramesh et al. 2021; the survey's sec. 3.6, eq. 13), selected by {@code model.name: dalle}:
 * a discrete VAE trained first ({@link DiscreteVae}, {@link DvaeObjective}), then a causal
 * transformer over caption and image tokens ({@link DalleTransformer}, {@link DalleObjective}),
 * sampled token by token with top-k / nucleus sampling and optionally reranked by a CLIP
 * ({@link DalleGenerator}). Not a diffusion model: it reads no schedule, estimator, sampler or
 * guidance section; everything is in its {@code model} section ({@link DalleOptions}).
 */
@Extension
public class DalleFamily implements ModelFamily {

    @Override
    public String name() {
        return "dalle";
    }

    @Override
    public String description() {
        return "DALL-E (Ramesh et al. 2021): dVAE with Gumbel-softmax, autoregressive transformer over caption and "
                + "image tokens, top-k / nucleus sampling, CLIP reranking";
    }

    @Override
    public List<Option> options() {
        return DalleOptions.ALL;
    }

    @Override
    public Map<String, Object> defaults() {
        return Map.of();
    }

    /** None: a DALL-E has no diffusion sections. */
    @Override
    public Set<String> sections() {
        return Set.of();
    }

    /** How tokens are drawn and reranked: runs differing only in these share one training. */
    @Override
    public Set<String> samplingOptions() {
        return DalleOptions.SAMPLING;
    }

    @Override
    public Model assemble(ModelContext context) {
        Config model = context.model();
        DatasetInfo dataset = context.dataset();
        if (!dataset.has(ConditionFields.CAPTION)) {
            throw new UserError("model 'dalle' learns from captions, but the dataset provides "
                    + dataset.fields().keySet() + "; use a captioned dataset (e.g. shapes-captions)");
        }
        Vocabulary vocabulary = DalleOptions.vocabulary(context);
        DiscreteVae dvae;
        Transformer trunk;
        try {
            dvae = DiscreteVae.builder().setImageShape(dataset.shape())
                    .setCodebookSize(model.getInt(DalleOptions.CODEBOOK_SIZE.key()))
                    .optChannels(model.getInt(DalleOptions.DVAE_CHANNELS.key()))
                    .optDownsamples(model.getInt(DalleOptions.DVAE_DOWNSAMPLES.key()))
                    .optResBlocks(model.getInt(DalleOptions.DVAE_RES_BLOCKS.key()))
                    .optStraightThrough(model.getBoolean(DalleOptions.STRAIGHT_THROUGH.key()))
                    .build();
            trunk = Transformer.builder().setWidth(model.getInt(DalleOptions.WIDTH.key()))
                    .setLayers(model.getInt(DalleOptions.LAYERS.key()))
                    .setHeads(model.getInt(DalleOptions.HEADS.key())).build();
        } catch (IllegalArgumentException e) {
            throw new UserError(model.path() + ": the dVAE or transformer settings do not fit the "
                    + dataset.shape().height() + "x" + dataset.shape().width() + " images: " + e.getMessage(), e);
        }
        DalleTransformer transformer = new DalleTransformer(vocabulary.size(), vocabulary.contextLength(),
                dvae.codebookSize(), dvae.gridHeight(), dvae.gridWidth(), trunk);
        TokenEncoder captions = TokenEncoder.captions(vocabulary);

        DvaeObjective dvaeObjective = new DvaeObjective(dvae, DalleOptions.temperature(model),
                DalleOptions.klWeight(model), model.getDouble(DalleOptions.RECON_SIGMA.key()));
        TrainableNetwork dvaeNetwork = TrainableNetwork.auxiliary(DalleModel.DVAE, dvae,
                new Shape[] {dataset.shape().batch(1)}, dvaeObjective, List.of(),
                model.getInt(DalleOptions.DVAE_STEPS.key()));
        DalleObjective objective = new DalleObjective(transformer, TokenEncoder.CAPTION, DalleModel.DVAE,
                model.getDouble(DalleOptions.IMAGE_LOSS_WEIGHT.key()));
        TrainableNetwork transformerNetwork = TrainableNetwork.primary(DalleModel.TRANSFORMER, transformer,
                transformer.inputShapes(), objective, List.of(captions));

        int candidates = model.getInt(DalleOptions.CANDIDATES.key());
        DalleGenerator generator = new DalleGenerator(transformer, captions, DalleOptions.sampling(model), candidates,
                DalleOptions.reranker(context, candidates));
        boolean reconstructions = context.sampleFields().contains(ConditionFields.REFERENCE_IMAGE);
        if (reconstructions && context.sampleFields().contains(ConditionFields.CAPTION)) {
            throw new UserError("model 'dalle' draws images for sample.prompts or reconstructs "
                    + "sample.reference_images through its dVAE, not both in one run: give one of them");
        }
        return new DalleModel(dvaeNetwork, transformerNetwork, generator, reconstructions);
    }
}
