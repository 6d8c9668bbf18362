package io.difflab.plugins.metrics;

import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.Progress;
import io.difflab.plugins.metrics.evaluator.Embedding;
import io.difflab.plugins.metrics.evaluator.Evaluator;
import io.difflab.plugins.metrics.evaluator.Evaluators;
import io.difflab.plugins.metrics.math.FrechetDistance;
import io.difflab.plugins.metrics.math.GaussianStatistics;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fd}: the Fréchet distance (Heusel et al. 2017) between the samples and the whole test
 * split in the evaluator's penultimate features, FID with a domain classifier in place of
 * Inception. FD is biased upwards at small sample counts, so the count is recorded, and the FD of
 * as many real train images against the test split is recorded as the floor a perfect model
 * would reach at that count.
 */
@Extension
public final class FrechetDistanceMetric extends EvaluatorMetric {

    @Inject
    public FrechetDistanceMetric(Progress.Factory progress) {
        super(progress);
    }

    @Override
    public String name() {
        return "fd";
    }

    @Override
    public String description() {
        return "Fréchet distance to the test split in the dataset evaluator's features (FID analogue)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.bool("floor", true,
                "also compute the train-vs-test FD at the same sample count (eval.fd.floor)"));
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        int n = checkedSampleCount(input, 2);
        Evaluator evaluator = evaluator(input);
        GaussianStatistics reference = GaussianStatistics.of(Evaluators.embedAll(evaluator, input.test()).features());
        Embedding samples = evaluator.embed(input.samples());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("eval.fd", FrechetDistance.between(GaussianStatistics.of(samples.features()), reference));
        out.put("eval.fd.n", (double) n);
        if (input.config().getBoolean("floor")) {
            Embedding train = Evaluators.embedSubset(evaluator, input.train(), n);
            out.put("eval.fd.floor", FrechetDistance.between(GaussianStatistics.of(train.features()), reference));
        }
        return out;
    }
}
