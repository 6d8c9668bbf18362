package io.difflab.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One run's model, as its family assembled it: the networks to train and how to generate with them.
 * The host runs the stages around it (train each network in order, sample, evaluate, record) without
 * knowing which model it is; a model that is not a diffusion model (DALL-E) fits the same stages.
 */
public interface Model {

    /**
     * The networks to train, in order; exactly one is {@linkplain TrainableNetwork#primary() primary}, or
     * there are none (a reference that trains nothing, such as the dataset's own test images).
     */
    List<TrainableNetwork> networks();

    /**
     * The raw condition fields each sample needs (e.g. {@code label} for a class-conditional model or
     * classifier guidance, {@code caption} for a text-to-image model); the host supplies their values
     * from the spec's {@code sample} section or the dataset.
     */
    Set<String> sampleFields();

    /**
     * Whether it generates images. A model that does not (CLIP: two encoders and a temperature) is
     * trained and then evaluated by metrics that need no samples ({@link Metric#scoresSamples()} false);
     * the host draws no samples for it and never calls {@link #generate}.
     */
    default boolean generates() {
        return true;
    }

    /**
     * Generates {@code request.count()} samples. During training only the networks trained so far
     * are in the request: a model samples without what is missing (e.g. unguided) where it can.
     */
    Generation generate(GenerationRequest request);

    /** For likelihood metrics: the schedule and denoiser of a diffusion model; empty otherwise. */
    default Optional<Likelihood> likelihood(TrainedNetworks trained) {
        return Optional.empty();
    }

    /**
     * What a likelihood metric needs.
     *
     * @param schedule the full diffusion schedule
     * @param denoiser the trained estimator on it, with the averaged weights
     */
    record Likelihood(DiffusionSchedule schedule, Denoiser denoiser) { }
}
