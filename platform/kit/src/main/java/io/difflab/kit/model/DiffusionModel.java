package io.difflab.kit.model;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionInput;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Model;
import io.difflab.api.Sampler;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.VarianceType;
import io.difflab.kit.sampling.EstimatorDenoiser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model of a diffusion family (DDPM, guided diffusion, classifier-free guidance, ...): one
 * noise estimator on a schedule, trained first under the name {@value #ESTIMATOR}, then the
 * family's auxiliary networks; sampled by the spec's sampler with the spec's guidance head around
 * the estimator ({@link DiffusionGenerator}). Families build it with {@link DiffusionRecipe}.
 */
public final class DiffusionModel implements Model {

    /** The name of the primary network. */
    public static final String ESTIMATOR = "estimator";

    private final DiffusionSchedule schedule;
    private final EstimatorNetwork network;
    private final List<TrainableNetwork> networks;
    private final List<ConditionEncoder> estimatorConditions;
    private final List<ConditionEncoder> guidanceConditions;
    private final Sampler sampler;
    private final Config samplerConfig;
    private final VarianceType varianceType;
    private final GuidanceHead guidance;
    private final Config guidanceConfig;

    DiffusionModel(DiffusionSchedule schedule, EstimatorNetwork network, TrainableNetwork estimator,
                   List<TrainableNetwork> auxiliary, List<ConditionEncoder> guidanceConditions, Sampler sampler,
                   Config samplerConfig, VarianceType varianceType, GuidanceHead guidance, Config guidanceConfig) {
        this.schedule = schedule;
        this.network = network;
        this.estimatorConditions = estimator.conditions();
        this.guidanceConditions = List.copyOf(guidanceConditions);
        List<TrainableNetwork> all = new ArrayList<>(List.of(estimator));
        all.addAll(auxiliary);
        this.networks = List.copyOf(all);
        this.sampler = sampler;
        this.samplerConfig = samplerConfig;
        this.varianceType = varianceType;
        this.guidance = guidance;
        this.guidanceConfig = guidanceConfig;
    }

    /** The input shapes an estimator is initialized with: x_t, t, then its conditions' arrays (batch 1). */
    static Shape[] inputShapes(EstimatorNetwork network) {
        List<Shape> shapes = new ArrayList<>(List.of(network.spec().imageShape().batch(1), new Shape(1)));
        for (ConditionInput c : network.spec().conditions()) {
            shapes.addAll(List.of(c.batchShapes(1)));
        }
        return shapes.toArray(Shape[]::new);
    }

    @Override
    public List<TrainableNetwork> networks() {
        return networks;
    }

    @Override
    public Set<String> sampleFields() {
        Set<String> fields = new LinkedHashSet<>();
        estimatorConditions.forEach(e -> fields.add(e.field()));
        guidanceConditions.forEach(e -> fields.add(e.field()));
        return fields;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        List<ConditionEncoder> encoders = new ArrayList<>(estimatorConditions);
        guidanceConditions.stream().filter(g -> encoders.stream().noneMatch(e -> e.name().equals(g.name())))
                .forEach(encoders::add);
        boolean guided = request.trained().names().containsAll(guidance.requiredNetworks(guidanceConfig));
        return new DiffusionGenerator(schedule, network, sampler, samplerConfig, varianceType,
                guided ? guidance : null, guidanceConfig, encoders).generate(request);
    }

    @Override
    public Optional<Likelihood> likelihood(TrainedNetworks trained) {
        Denoiser denoiser = new EstimatorDenoiser(network, trained.get(ESTIMATOR).averaged(), schedule);
        return Optional.of(new Likelihood(schedule, denoiser));
    }

    /** The full training schedule. */
    public DiffusionSchedule schedule() {
        return schedule;
    }

    /** The estimator and its output convention. */
    public EstimatorNetwork estimator() {
        return network;
    }

    /** How Σ is chosen when sampling. */
    public VarianceType varianceType() {
        return varianceType;
    }
}
