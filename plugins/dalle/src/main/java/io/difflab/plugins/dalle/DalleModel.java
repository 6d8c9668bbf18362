package io.difflab.plugins.dalle;

import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Model;
import io.difflab.api.TrainableNetwork;

import java.util.List;
import java.util.Set;

/**
 * A DALL-E model (Ramesh et al. 2021): two networks trained one after the other, the dVAE
 * ({@value #DVAE}, an auxiliary network with its own number of steps) and then the transformer
 * ({@value #TRANSFORMER}, the primary network, {@code train.steps}), whose objective tokenizes the
 * images with the trained dVAE; it generates from captions (the {@code caption} field: the spec's
 * {@code sample.prompts} or the test split's captions) through {@link DalleGenerator}, or, given
 * {@code sample.reference_images} instead, shows the dVAE's reconstructions of those images. Not a
 * diffusion model: no schedule, estimator, sampler or guidance, and no likelihood for bits/dim.
 */
final class DalleModel implements Model {

    /** The dVAE's network name: checkpoints under {@code checkpoints/dvae/}, metrics {@code dvae.train.*}. */
    static final String DVAE = "dvae";
    /** The transformer's network name. */
    static final String TRANSFORMER = "transformer";

    private final List<TrainableNetwork> networks;
    private final DalleGenerator generator;
    private final boolean reconstructions;

    /** @param reconstructions whether generation reconstructs the spec's reference images instead of drawing */
    DalleModel(TrainableNetwork dvae, TrainableNetwork transformer, DalleGenerator generator,
               boolean reconstructions) {
        this.networks = List.of(dvae, transformer);
        this.generator = generator;
        this.reconstructions = reconstructions;
    }

    @Override
    public List<TrainableNetwork> networks() {
        return networks;
    }

    @Override
    public Set<String> sampleFields() {
        return Set.of(reconstructions ? ConditionFields.REFERENCE_IMAGE : ConditionFields.CAPTION);
    }

    @Override
    public Generation generate(GenerationRequest request) {
        return reconstructions ? generator.reconstruct(request, DVAE) : generator.generate(request, TRANSFORMER, DVAE);
    }
}
