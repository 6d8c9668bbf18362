package io.difflab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import io.difflab.api.ImageShape;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.plugins.metrics.evaluator.Evaluator;
import io.difflab.plugins.metrics.evaluator.Evaluators;

import java.util.Locale;
import java.util.Map;

/**
 * A metric computed in the evaluator's feature space or from its class probabilities. Tags every
 * run that uses it with the evaluator's checksum and test accuracy.
 */
public abstract class EvaluatorMetric implements Metric {

    /** Tag: SHA-256 of the evaluator's parameters. */
    public static final String TAG_CHECKSUM = "eval.evaluator.sha256";
    /** Tag: the evaluator's accuracy on the test split. */
    public static final String TAG_ACCURACY = "eval.evaluator.test_accuracy";

    private final Progress.Factory progress;

    protected EvaluatorMetric(Progress.Factory progress) {
        this.progress = progress;
    }

    /** The shared evaluator of the input's dataset, trained on first use. */
    protected Evaluator evaluator(MetricInput input) {
        NDArray samples = input.samples();
        return Evaluators.get(input.train(), input.test(), samples.getDevice(), progress);
    }

    /** The number of samples, after checking they are images of the dataset's shape; at least {@code min}. */
    protected int checkedSampleCount(MetricInput input, int min) {
        NDArray samples = input.samples();
        ImageShape shape = input.test().shape();
        if (samples == null || samples.getShape().dimension() != 4
                || !samples.getShape().slice(1).equals(shape.batch(1).slice(1))) {
            throw new UserError("metric " + name() + " needs samples of shape (N," + shape.channels() + ","
                    + shape.height() + "," + shape.width() + ") like " + input.test().id() + ", got "
                    + (samples == null ? "none" : samples.getShape()));
        }
        int n = Math.toIntExact(samples.getShape().get(0));
        if (n < min) {
            throw new UserError("metric " + name() + " needs at least " + min + " samples, got " + n
                    + "; raise sample.count");
        }
        return n;
    }

    @Override
    public Map<String, String> tags(MetricInput input) {
        Evaluator evaluator = evaluator(input);
        return Map.of(TAG_CHECKSUM, evaluator.manifest().sha256(),
                TAG_ACCURACY, String.format(Locale.ROOT, "%.4f", evaluator.manifest().testAccuracy()));
    }
}
