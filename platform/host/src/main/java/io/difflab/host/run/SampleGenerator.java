package io.difflab.host.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.Progress;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.TimestepSpacing;
import io.difflab.kit.train.StepSeeds;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Draws samples batch by batch: respaces the schedule, wraps the estimator in the guidance head,
 * runs the sampler with a noise source seeded per batch, and accounts for the cost (estimator
 * calls and gradient evaluations per sample, seconds per sample, peak memory).
 */
public final class SampleGenerator {

    /** Offsets the sampling noise streams from the training ones. */
    private static final long SAMPLING_STREAM = 1L << 40;

    private final Progress.Factory progress;

    public SampleGenerator(Progress.Factory progress) {
        this.progress = progress;
    }

    /** The samples (N,C,H,W, in the plan's manager), the requested labels and the cost facts. */
    public record Samples(NDArray images, int[] requestedLabels, Map<String, Double> facts) { }

    public Samples generate(SamplingPlan plan) {
        DiffusionSchedule full = plan.schedule();
        DiffusionSchedule schedule = plan.steps() < full.timesteps()
                ? full.respace(TimestepSpacing.evenly(full.timesteps(), plan.steps()))
                : full;
        Denoiser base = new EstimatorDenoiser(plan.network(), plan.parameters(), schedule);
        Denoiser guided = plan.guidance().wrap(base, new GuidanceContext(plan.guidanceConfig(), schedule,
                plan.auxiliary(), plan.manager().getDevice()));
        GuidanceCost cost = plan.guidance().cost(plan.guidanceConfig());
        int[] labels = plan.numClasses() > 0 ? new int[plan.count()] : null;
        NDList batches = new NDList();
        int batchCount = (plan.count() + plan.batchSize() - 1) / plan.batchSize();
        long started = System.nanoTime();
        try (Progress bar = progress.start("sample", (long) batchCount * schedule.timesteps(), "step")) {
            for (int b = 0; b < batchCount; b++) {
                int from = b * plan.batchSize();
                int n = Math.min(plan.batchSize(), plan.count() - from);
                try (NDManager sub = plan.manager().newSubManager()) {
                    Condition condition = Condition.none();
                    if (labels != null) {
                        int[] batchLabels = new int[n];
                        for (int i = 0; i < n; i++) {
                            labels[from + i] = (from + i) % plan.numClasses();
                            batchLabels[i] = labels[from + i];
                        }
                        condition = Condition.labels(sub.create(batchLabels).toType(DataType.INT32, false));
                    }
                    final int batchIndex = b;
                    SamplingRequest request = new SamplingRequest(sub, schedule, guided, plan.varianceType(),
                            plan.network().spec().imageShape().batch(n), condition,
                            new SeededNoiseSource(StepSeeds.mix(plan.seed(), SAMPLING_STREAM + batchIndex)),
                            plan.samplerConfig(), step -> bar.step(1, "batch " + (batchIndex + 1) + "/" + batchCount));
                    NDArray x = plan.sampler().sample(request);
                    x.attach(plan.manager());
                    batches.add(x);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        NDArray images = batches.size() == 1 ? batches.get(0) : NDArrays.concat(batches);
        Map<String, Double> facts = new LinkedHashMap<>();
        facts.put("sample.steps", (double) schedule.timesteps());
        facts.put("sample.nfe", (double) schedule.timesteps() * cost.estimatorCalls());
        facts.put("sample.grad_evals", (double) schedule.timesteps() * cost.gradientEvaluations());
        facts.put("sample.seconds", seconds / plan.count());
        facts.put("sample.peak_bytes", (double) PeakMemory.residentBytes());
        return new Samples(images, labels, facts);
    }
}
