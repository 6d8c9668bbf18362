package io.difflab.datasets.shapes.metrics;

import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.datasets.shapes.evaluator.SceneEvaluator;
import io.difflab.datasets.shapes.evaluator.SceneEvaluatorCache;
import io.difflab.datasets.shapes.evaluator.SceneEvaluatorManifest;
import io.difflab.datasets.shapes.evaluator.SceneEvaluatorRecipe;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The scene evaluator of a run's training split for the metrics that read scenes: trained once, cached. */
final class SceneEvaluators {

    private SceneEvaluators() { }

    /** The evaluator of the run's train split (trained on first use), or a UserError naming {@code metric}. */
    static SceneEvaluator obtain(MetricInput input, Progress.Factory progress, String metric) {
        if (!(input.train() instanceof ShapesCaptionsDataset train)
                || !(input.test() instanceof ShapesCaptionsDataset test)) {
            throw new UserError(input.config().path() + ": " + metric + " reads scenes of shapes-captions, and the"
                    + " run's dataset is " + input.train().id());
        }
        return new SceneEvaluatorCache(SceneEvaluatorCache.defaultRoot(), SceneEvaluatorRecipe.STANDARD, progress)
                .obtain(train, test, input.run().device());
    }

    /** The evaluator's identity as run tags: its parameters' SHA-256 and its test accuracy (whole scenes). */
    static Map<String, String> tags(SceneEvaluator evaluator) {
        SceneEvaluatorManifest m = evaluator.manifest();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("eval.scene_evaluator.sha256", m.sha256());
        tags.put("eval.scene_evaluator.scene_accuracy", String.format(Locale.ROOT, "%.4f", m.accuracy().exact()));
        return tags;
    }
}
