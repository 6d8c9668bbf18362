package io.difflab.datasets.shapes.metrics;

import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.evaluator.CaptionFaithfulness;
import io.difflab.datasets.shapes.evaluator.SceneEvaluator;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;

/**
 * {@code scene-faithfulness}: how faithfully generated images follow the captions they were asked
 * for, as the scene evaluator reads them ({@link CaptionFaithfulness}): count accuracy per requested
 * number ({@code eval.scene.count_acc.1} .. {@code .4}), colour and shape accuracy, relation accuracy
 * and the exact-match rate. For models trained on shapes-captions, whose evaluator (trained on the
 * run's training split, cached) it uses; the captions must be in its grammar.
 */
@Extension
public final class SceneFaithfulnessMetric implements Metric {

    /** The prefix of its values. */
    public static final String PREFIX = "eval.scene";

    private final Progress.Factory progress;

    @Inject
    public SceneFaithfulnessMetric(Progress.Factory progress) {
        this.progress = progress;
    }

    @Override
    public String name() {
        return "scene-faithfulness";
    }

    @Override
    public String description() {
        return "shapes-captions: count, colour, shape, relation accuracy and exact match of samples to their captions";
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        List<String> captions = input.requestedCaptions();
        if (captions == null) {
            throw new UserError(input.config().path() + ": scene-faithfulness scores samples against their captions,"
                    + " and these samples were asked for none");
        }
        try (SceneEvaluator evaluator = evaluator(input)) {
            return CaptionFaithfulness.score(captions, input.samples(), evaluator).asMetrics(PREFIX);
        }
    }

    /** The evaluator's identity: its parameters' SHA-256 and its test accuracy (whole scenes). */
    @Override
    public Map<String, String> tags(MetricInput input) {
        try (SceneEvaluator evaluator = evaluator(input)) {
            return SceneEvaluators.tags(evaluator);
        }
    }

    private SceneEvaluator evaluator(MetricInput input) {
        return SceneEvaluators.obtain(input, progress, name());
    }
}
