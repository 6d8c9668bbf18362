package io.difflab.plugins.metrics;

import io.difflab.api.Progress;
import io.difflab.plugins.metrics.math.ManifoldEstimate;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** {@code precision}: the fraction of samples inside the k-NN manifold of real images (fidelity). */
@Extension
public final class PrecisionMetric extends ManifoldMetric {

    @Inject
    public PrecisionMetric(Progress.Factory progress) {
        super(progress);
    }

    @Override
    public String name() {
        return "precision";
    }

    @Override
    public String description() {
        return "k-NN manifold precision (Kynkäänniemi et al. 2019) in the dataset evaluator's features";
    }

    @Override
    String key() {
        return "eval.precision";
    }

    @Override
    double value(double[][] real, double[][] generated, int k) {
        return ManifoldEstimate.precision(real, generated, k);
    }
}
