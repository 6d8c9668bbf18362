package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Adam (Kingma &amp; Ba 2015, Alg. 1) over a block's trainable parameters, with its moment
 * estimates held here so that a checkpoint saves and restores them exactly. The update itself is
 * the engine's fused kernel, which also zeroes each gradient.
 */
public final class AdamOptimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final PairList<String, Parameter> parameters;
    private final PairList<String, NDArray> means = new PairList<>();
    private final PairList<String, NDArray> variances = new PairList<>();
    private long updates;

    /**
     * @param parameters the trainable parameters keyed by their path in the block
     * @param manager    the long-lived manager holding the moment estimates
     */
    public AdamOptimizer(PairList<String, Parameter> parameters, NDManager manager) {
        this.parameters = parameters;
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            means.add(p.getKey(), manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            variances.add(p.getKey(), manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    /** Number of updates applied so far (Adam's t). */
    public long updates() {
        return updates;
    }

    /**
     * Applies one update with learning rate {@code lr} to gradients first multiplied by
     * {@code gradScale} (the clipping factor), then zeroes the gradients.
     */
    public void step(double lr, double gradScale) {
        updates++;
        // Kingma & Ba 2015, sec. 2: α_t = α · √(1 − β2^t) / (1 − β1^t)
        double corrected = lr * Math.sqrt(1.0 - Math.pow(BETA2, updates)) / (1.0 - Math.pow(BETA1, updates));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.valueAt(i).getArray();
            try (NDArray grad = w.getGradient()) {
                NDList inputs = new NDList(w, grad, means.valueAt(i), variances.valueAt(i));
                w.getNDArrayInternal().adamUpdate(inputs, new NDList(w), (float) lr, (float) corrected,
                        0f, (float) gradScale, -1f, BETA1, BETA2, EPSILON, true, false);
            }
        }
    }

    /** The state to checkpoint: both moments per parameter and the update count. */
    public NDList state(NDManager manager) {
        NDList out = ParameterStates.snapshot(means, "m.");
        out.addAll(ParameterStates.snapshot(variances, "v."));
        NDArray count = manager.create(new long[] {updates});
        count.setName("updates");
        out.add(count);
        return out;
    }

    /** Restores a state written by {@link #state}. */
    public void restore(NDList state) {
        ParameterStates.restore(means, state, "m.");
        ParameterStates.restore(variances, state, "v.");
        updates = ParameterStates.byName(state).get("updates").getLong();
    }
}
