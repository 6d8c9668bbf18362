package io.difflab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.ImageDataset;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.Progress;
import io.difflab.api.VarianceType;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.VariationalBound;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.plugins.metrics.evaluator.Evaluators;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bpd}: the negative log-likelihood of test images in bits per dimension, bounded by the
 * full variational bound of Ho et al. 2020 (eq. 5): the prior term L_T, every L_{t−1} and the
 * discretized decoder L_0, each t with one draw of x_t (guided-diffusion's {@code calc_bpd_loop}).
 * Runs the denoiser T times per image: keep {@code count} small on a CPU.
 *
 * <p>The images are a fixed subset of the test split and the noise has a fixed seed, the same
 * for every run, so runs differ only by their models. When the samples were generated
 * conditionally, the bound is of p(x | y) with each test image's own label.
 */
@Extension
public final class BitsPerDimMetric implements Metric {

    private static final Logger LOG = LoggerFactory.getLogger(BitsPerDimMetric.class);
    /** Seed of the x_t draws, fixed so that runs compare (common random numbers). */
    private static final long NOISE_SEED = 0x6B1D5L;

    private final Progress.Factory progress;

    @Inject
    public BitsPerDimMetric(Progress.Factory progress) {
        this.progress = progress;
    }

    @Override
    public String name() {
        return "bpd";
    }

    @Override
    public String description() {
        return "negative log-likelihood of test images in bits/dim through the full variational bound";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.integer("count", 64, 1, 100_000, "test images to bound (each costs T estimator calls)"),
                Option.integer("batch_size", 16, 1, 4096, "test images per estimator call"),
                Option.choice("variance", "auto", List.of("auto", "fixed_small", "fixed_large", "learned"),
                        "Σ of p(x_{t−1}|x_t); auto = learned when the estimator predicts it, else β_t"),
                Option.bool("clip_denoised", true, "clip the x_0 estimate to [−1, 1] as when sampling"));
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        if (input.schedule() == null || input.denoiser() == null) {
            LOG.warn("bpd skipped: the model is not a diffusion model (no schedule or denoiser)");
            return Map.of();
        }
        ImageDataset test = input.test();
        int n = Math.min(input.config().getInt("count"), test.size());
        int batchSize = input.config().getInt("batch_size");
        int[] indices = Evaluators.subset(test.size(), n);
        boolean conditional = input.requestedLabels() != null && test.numClasses() > 0;
        int timesteps = input.schedule().timesteps();
        VariationalBound bound = new VariationalBound(new GaussianDiffusion(input.schedule()));
        SeededNoiseSource noise = new SeededNoiseSource(NOISE_SEED);
        boolean clip = input.config().getBoolean("clip_denoised");
        int batches = (n + batchSize - 1) / batchSize;
        double total = 0;
        double prior = 0;
        double decoder = 0;
        try (NDManager manager = input.samples() != null ? input.samples().getManager().newSubManager()
                : NDManager.newBaseManager(input.run().device());
             Progress bar = progress.start("bpd", (long) batches * timesteps, "call")) {
            VarianceType variance = null;
            for (int b = 0; b < batches; b++) {
                int[] batch = Arrays.copyOfRange(indices, b * batchSize, Math.min(n, (b + 1) * batchSize));
                try (NDManager sub = manager.newSubManager()) {
                    NDArray xStart = test.images(sub, batch);
                    Condition condition = conditional ? Condition.labels(test.labels(sub, batch)) : Condition.none();
                    if (variance == null) {
                        variance = varianceType(input, xStart, condition);
                    }
                    String status = String.format(Locale.ROOT, "batch %d/%d", b + 1, batches);
                    Denoiser counted = counting(input.denoiser(), bar, status);
                    VariationalBound.BitsPerDim bits = bound.bitsPerDim(counted, xStart, condition, noise, variance, clip);
                    total += sum(bits.total());
                    prior += sum(bits.prior());
                    decoder += sum(bits.terms().get(":, 0"));
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("eval.bpd", total / n);
        out.put("eval.bpd.prior", prior / n);
        out.put("eval.bpd.decoder", decoder / n);
        out.put("eval.bpd.n", (double) n);
        return out;
    }

    /** The spec's variance, or for {@code auto} what the host samples with: learned if predicted, else β_t. */
    private static VarianceType varianceType(MetricInput input, NDArray xStart, Condition condition) {
        return switch (input.config().getString("variance")) {
            case "fixed_small" -> VarianceType.FIXED_SMALL;
            case "fixed_large" -> VarianceType.FIXED_LARGE;
            case "learned" -> VarianceType.LEARNED_RANGE;
            default -> {
                try (NDManager probe = xStart.getManager().newSubManager()) {
                    NDArray one = xStart.get("0:1");
                    one.attach(probe);
                    Condition c = condition.hasLabels() ? Condition.labels(condition.labels().get("0:1")) : condition;
                    DenoiserOutput out = input.denoiser().predict(one, input.schedule().timesteps() - 1, c);
                    yield out.varianceFraction() != null ? VarianceType.LEARNED_RANGE : VarianceType.FIXED_LARGE;
                }
            }
        };
    }

    /** The sum of a per-sample array, in double precision. */
    private static double sum(NDArray perSample) {
        double s = 0;
        for (float v : perSample.toType(DataType.FLOAT32, false).toFloatArray()) {
            s += v;
        }
        return s;
    }

    private static Denoiser counting(Denoiser denoiser, Progress bar, String status) {
        return (xt, t, condition) -> {
            DenoiserOutput out = denoiser.predict(xt, t, condition);
            bar.step(1, status);
            return out;
        };
    }
}
