package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;

/**
 * log p(y | x_t, t) of a noise-aware classifier (the convention of this package) and its input
 * gradient ∇_{x_t} log p(y | x_t, t), computed by the engine's autograd on a copy of x_t that
 * requires a gradient (Dhariwal &amp; Nichol 2021, sec. 4.1). Samples are independent, so the
 * gradient of Σ_i log p(y_i | x_i) is every sample's own gradient at once.
 */
public final class ClassifierGradient implements ScoreFunction {

    private final Block classifier;
    private final ParameterStore parameters;

    /**
     * @param classifier an initialized noise-aware classifier
     * @param parameters the weights to use; {@link #frozen} computes no weight gradients
     */
    public ClassifierGradient(Block classifier, ParameterStore parameters) {
        this.classifier = classifier;
        this.parameters = parameters;
    }

    /** A gradient over {@code classifier}'s own weights, detached so that only x_t gets a gradient. */
    public static ClassifierGradient frozen(Block classifier, NDManager manager) {
        return new ClassifierGradient(classifier, new FrozenParameters(manager));
    }

    /**
     * ∇_{x_t} log p(y | x_t, t), shaped like x_t, in x_t's manager.
     *
     * @param xt       the noisy batch (N, C, H, W)
     * @param timestep the timestep of the original schedule
     * @param labels   the classes y (N), int32
     */
    public NDArray gradient(NDArray xt, int timestep, NDArray labels) {
        return ScoreGradient.of(this, xt, timestep, Condition.labels(labels));
    }

    /** F = log p(y | x_t, t) with y the batch's class labels: the score classifier guidance steers by. */
    @Override
    public NDArray score(NDArray xt, int timestep, Condition condition) {
        if (!condition.hasLabels()) {
            throw new IllegalArgumentException("classifier guidance needs class labels, the batch has "
                    + condition.names());
        }
        return logProbIn(xt.getManager(), xt, timestep, condition.labels());
    }

    /** log p(y | x_t, t) per sample (N), without gradients, in x_t's manager. */
    public NDArray logProb(NDArray xt, int timestep, NDArray labels) {
        NDManager caller = xt.getManager();
        try (NDManager sub = caller.newSubManager()) {
            xt.tempAttach(sub);
            NDArray logProb = logProbIn(sub, xt, timestep, labels);
            logProb.attach(caller);
            return logProb;
        }
    }

    private NDArray logProbIn(NDManager sub, NDArray x, int timestep, NDArray labels) {
        long n = x.getShape().get(0);
        if (labels.getShape().dimension() != 1 || labels.getShape().get(0) != n) {
            throw new IllegalArgumentException("need one label per sample: " + n + " images, labels "
                    + labels.getShape());
        }
        NDArray t = sub.full(new Shape(n), (float) timestep);
        NDArray logits = classifier.forward(parameters, new NDList(x, t), false).singletonOrThrow();
        return logProbOf(logits, labels);
    }

    /**
     * log_softmax(logits)_y per row (N), for logits (N, K) and labels y (N) in [0, K); the one-hot
     * selection is built by comparison (the PyTorch engine has no DJL oneHot).
     */
    public static NDArray logProbOf(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray y = labels.toType(DataType.INT64, false);
        long max = y.max().getLong();
        long min = y.min().getLong();
        if (min < 0 || max >= classes) {
            throw new IllegalArgumentException("labels must be in [0, " + classes + ") for this classifier, got "
                    + min + ".." + max);
        }
        NDArray oneHot = logits.getManager().arange(0, Math.toIntExact(classes), 1, DataType.INT64).reshape(1, classes)
                .eq(y.reshape(-1, 1)).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1});
    }
}
