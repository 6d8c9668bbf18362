package io.difflab.plugins.metrics;

import io.difflab.api.Progress;
import io.difflab.plugins.metrics.math.ManifoldEstimate;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** {@code recall}: the fraction of real images inside the k-NN manifold of the samples (diversity). */
@Extension
public final class RecallMetric extends ManifoldMetric {

    @Inject
    public RecallMetric(Progress.Factory progress) {
        super(progress);
    }

    @Override
    public String name() {
        return "recall";
    }

    @Override
    public String description() {
        return "k-NN manifold recall (Kynkäänniemi et al. 2019) in the dataset evaluator's features";
    }

    @Override
    String key() {
        return "eval.recall";
    }

    @Override
    double value(double[][] real, double[][] generated, int k) {
        return ManifoldEstimate.recall(real, generated, k);
    }
}
