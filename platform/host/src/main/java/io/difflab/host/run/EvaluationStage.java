package io.difflab.host.run;

import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Model;
import io.difflab.api.RunContext;
import io.difflab.api.UserError;
import io.difflab.api.tracking.TrackedRun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The evaluate stage: runs the spec's metrics on a run's samples and records their values and tags. */
public final class EvaluationStage {

    private EvaluationStage() {
    }

    /**
     * @param samples    the samples with what they were asked for and their cost facts ({@link Samples#NONE}
     *                   for a model that generates none)
     * @param test       the reference split, loaded only when a metric runs
     * @param likelihood the diffusion model's schedule and denoiser, for likelihood metrics, if any
     * @return every value the metrics computed
     */
    public static Map<String, Double> evaluate(List<Metric> metrics, List<Config> configs, Samples samples,
                                               ImageDataset train, Supplier<ImageDataset> test,
                                               Optional<Model.Likelihood> likelihood, RunContext context,
                                               TrackedRun tracked, long step) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (metrics.isEmpty()) {
            return values;
        }
        ImageDataset reference = test.get();
        for (int i = 0; i < metrics.size(); i++) {
            if (samples.images() == null && metrics.get(i).scoresSamples()) {
                throw new UserError(configs.get(i).path() + ": metric '" + metrics.get(i).name()
                        + "' scores generated samples, and this model generates none");
            }
            MetricInput input = new MetricInput(samples.images(), samples.requested(), train, reference,
                    likelihood.map(Model.Likelihood::schedule).orElse(null),
                    likelihood.map(Model.Likelihood::denoiser).orElse(null), samples.facts(), configs.get(i), context);
            Map<String, Double> computed = metrics.get(i).compute(input);
            tracked.logMetrics(computed, step);
            tracked.setTags(metrics.get(i).tags(input));
            values.putAll(computed);
        }
        return values;
    }
}
