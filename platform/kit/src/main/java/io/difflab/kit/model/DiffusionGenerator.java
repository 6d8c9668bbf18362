package io.difflab.kit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Progress;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.VarianceType;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.engine.PeakMemory;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.sampling.SamplerSteps;
import io.difflab.kit.train.StepSeeds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a diffusion model's samples batch by batch: respaces the schedule to the sampler's steps
 * ({@link SamplerSteps}), wraps the estimator (with the averaged weights) in the guidance head,
 * encodes each batch's requested conditions, runs the sampler with a noise source seeded per batch,
 * and accounts for the cost: NFE (the sampler's denoiser calls per sample times the head's estimator
 * calls per denoiser call) and gradient evaluations per sample, seconds per sample, peak memory.
 */
final class DiffusionGenerator {

    /** Offsets the sampling noise streams from the training ones. */
    static final long SAMPLING_STREAM = 1L << 40;

    private final DiffusionSchedule full;
    private final EstimatorNetwork network;
    private final Sampler sampler;
    private final Config samplerConfig;
    private final VarianceType varianceType;
    private final GuidanceHead guidance;
    private final Config guidanceConfig;
    private final List<ConditionEncoder> encoders;

    /** @param guidance the head, or {@code null} to sample unguided (its networks are not trained yet) */
    DiffusionGenerator(DiffusionSchedule full, EstimatorNetwork network, Sampler sampler, Config samplerConfig,
                       VarianceType varianceType, GuidanceHead guidance, Config guidanceConfig,
                       List<ConditionEncoder> encoders) {
        this.full = full;
        this.network = network;
        this.sampler = sampler;
        this.samplerConfig = samplerConfig;
        this.varianceType = varianceType;
        this.guidance = guidance;
        this.guidanceConfig = guidanceConfig;
        this.encoders = List.copyOf(encoders);
    }

    Generation generate(GenerationRequest request) {
        DiffusionSchedule schedule = SamplerSteps.schedule(full, sampler, samplerConfig);
        NDManager manager = request.manager();
        Denoiser base = new EstimatorDenoiser(network, request.trained().get(DiffusionModel.ESTIMATOR).averaged(),
                schedule);
        Denoiser wrapped = guidance == null ? base : guidance.wrap(base, new GuidanceContext(guidanceConfig, schedule,
                request.trained(), manager.getDevice(), request.seed()));
        long[] evaluations = {0}; // calls of the guided denoiser: Heun and PLMS make more than one per step
        Denoiser guided = (xt, t, condition) -> {
            evaluations[0]++;
            return wrapped.predict(xt, t, condition);
        };
        GuidanceCost cost = guidance == null ? GuidanceCost.UNGUIDED : guidance.cost(guidanceConfig);
        int count = request.count();
        int batchSize = Math.min(request.batchSize(), count);
        int batchCount = (count + batchSize - 1) / batchSize;
        NDList batches = new NDList();
        long started = System.nanoTime();
        try (Progress bar = request.progress().start("sample", (long) batchCount * schedule.timesteps(), "step")) {
            for (int b = 0; b < batchCount; b++) {
                int from = b * batchSize;
                int n = Math.min(batchSize, count - from);
                try (NDManager sub = manager.newSubManager()) {
                    Condition condition = Conditions.of(encoders, request.requested(), from, from + n, sub);
                    final int batchIndex = b;
                    SamplingRequest sampling = new SamplingRequest(sub, schedule, guided, varianceType,
                            network.spec().imageShape().batch(n), condition,
                            new SeededNoiseSource(StepSeeds.mix(request.seed(), SAMPLING_STREAM + batchIndex)),
                            samplerConfig, step -> bar.step(1, "batch " + (batchIndex + 1) + "/" + batchCount));
                    NDArray x = sampler.sample(sampling);
                    x.attach(manager);
                    batches.add(x);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        NDArray images = batches.size() == 1 ? batches.get(0) : NDArrays.concat(batches);
        Map<String, Double> facts = new LinkedHashMap<>();
        double perSample = (double) evaluations[0] / batchCount; // each call denoises a whole batch
        facts.put("sample.steps", (double) schedule.timesteps());
        facts.put("sample.nfe", perSample * cost.estimatorCalls());
        facts.put("sample.grad_evals", perSample * cost.gradientEvaluations());
        facts.put("sample.seconds", seconds / count);
        facts.put("sample.peak_bytes", (double) PeakMemory.residentBytes());
        return new Generation(images, facts);
    }
}
