package io.difflab.plugins.metrics;

import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code cond-accuracy}: the fraction of samples the evaluator assigns to the class they were
 * requested for, the measure of how strongly guidance steers toward the condition. Unconditional
 * samples have no requested class: the metric is then skipped with a message and yields nothing.
 */
@Extension
public final class ConditionalAccuracyMetric extends EvaluatorMetric {

    private static final Logger LOG = LoggerFactory.getLogger(ConditionalAccuracyMetric.class);

    @Inject
    public ConditionalAccuracyMetric(Progress.Factory progress) {
        super(progress);
    }

    @Override
    public String name() {
        return "cond-accuracy";
    }

    @Override
    public String description() {
        return "fraction of conditional samples the dataset evaluator classifies as the requested class";
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        int[] requested = input.requestedLabels();
        if (requested == null) {
            LOG.warn("cond-accuracy skipped: the samples were generated unconditionally (no requested classes)");
            return Map.of();
        }
        int n = checkedSampleCount(input, 1);
        if (requested.length != n) {
            throw new IllegalArgumentException(requested.length + " requested labels for " + n + " samples");
        }
        int classes = input.train().numClasses();
        for (int label : requested) {
            if (label < 0 || label >= classes) {
                throw new UserError("cond-accuracy: requested class " + label + " is not one of the "
                        + classes + " classes of " + input.train().id());
            }
        }
        int[] predicted = evaluator(input).embed(input.samples()).predictedClasses();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] == requested[i]) {
                correct++;
            }
        }
        return Map.of("eval.cond_accuracy", (double) correct / n);
    }

    @Override
    public Map<String, String> tags(MetricInput input) {
        return input.requestedLabels() == null ? Map.of() : super.tags(input);
    }
}
