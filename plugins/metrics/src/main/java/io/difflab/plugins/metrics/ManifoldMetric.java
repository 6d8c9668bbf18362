package io.difflab.plugins.metrics;

import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.plugins.metrics.evaluator.Evaluator;
import io.difflab.plugins.metrics.evaluator.Evaluators;

import java.util.List;
import java.util.Map;

/**
 * Improved precision or recall (Kynkäänniemi et al. 2019) in the evaluator's features: the real
 * side is a fixed subset of the test split as large as the sample set (the paper compares sets
 * of equal size), the same subset for every run.
 */
abstract class ManifoldMetric extends EvaluatorMetric {

    ManifoldMetric(Progress.Factory progress) {
        super(progress);
    }

    /** The metric's key, e.g. {@code eval.precision}. */
    abstract String key();

    /** The value from real and generated features. */
    abstract double value(double[][] real, double[][] generated, int k);

    @Override
    public List<Option> options() {
        return List.of(Option.integer("k", 3, 1, 100,
                "the k of the k-nearest-neighbour radii that estimate each manifold (the paper uses 3)"));
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        int k = input.config().getInt("k");
        int n = checkedSampleCount(input, 2);
        if (n <= k || input.test().size() <= k) {
            throw new UserError(name() + " with k = " + k + " needs more than " + k + " samples, got " + n
                    + "; raise sample.count or lower " + input.config().path() + ".k");
        }
        Evaluator evaluator = evaluator(input);
        double[][] generated = evaluator.embed(input.samples()).features();
        double[][] real = Evaluators.embedSubset(evaluator, input.test(), n).features();
        return Map.of(key(), value(real, generated, k));
    }
}
