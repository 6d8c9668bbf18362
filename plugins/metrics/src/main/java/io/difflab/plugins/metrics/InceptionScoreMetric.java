package io.difflab.plugins.metrics;

import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.plugins.metrics.math.InceptionScore;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code is}: the Inception Score (Salimans et al. 2016) with the dataset evaluator's class
 * probabilities in place of Inception's: high when each sample is clearly one class and the
 * classes are covered evenly; at most the number of classes.
 */
@Extension
public final class InceptionScoreMetric extends EvaluatorMetric {

    @Inject
    public InceptionScoreMetric(Progress.Factory progress) {
        super(progress);
    }

    @Override
    public String name() {
        return "is";
    }

    @Override
    public String description() {
        return "Inception Score analogue from the dataset evaluator's class probabilities";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.integer("splits", 1, 1, 100,
                "score the samples in this many equal parts and report their mean (eval.is) and std (eval.is.std)"));
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        int n = checkedSampleCount(input, 1);
        int splits = input.config().getInt("splits");
        if (splits > n) {
            throw new UserError(input.config().path() + ".splits = " + splits + " is more than the " + n + " samples");
        }
        double[] score = InceptionScore.meanAndStd(evaluator(input).embed(input.samples()).probabilities(), splits);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("eval.is", score[0]);
        if (splits > 1) {
            out.put("eval.is.std", score[1]);
        }
        return out;
    }
}
