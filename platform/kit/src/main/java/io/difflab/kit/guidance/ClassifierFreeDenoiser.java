package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.UserError;

/**
 * A denoiser guided without a classifier (Ho &amp; Salimans 2021, eq. 6 with s = 1 + w):
 * ε̃ = ε(x_t, ∅) + s·(ε(x_t, y) − ε(x_t, ∅)).
 *
 * <p>As in GLIDE's {@code model_fn}, the two evaluations are one call of the wrapped denoiser on
 * the doubled batch [x_t; x_t] with the labels [y; ∅] (∅ being {@link Condition#NULL_LABEL}).
 * The learned variance fraction, and a gradient from an inner guidance, are taken from the
 * conditional half, as GLIDE does; so with a learned variance, s = 0 pairs the unconditional ε
 * with the conditional Σ.
 */
public final class ClassifierFreeDenoiser implements Denoiser {

    private final Denoiser conditional;
    private final double scale;

    /**
     * @param conditional a denoiser of a network trained with condition dropout
     * @param scale       the guidance scale s ≥ 0
     */
    public ClassifierFreeDenoiser(Denoiser conditional, double scale) {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the guidance scale must be finite and >= 0, got " + scale);
        }
        this.conditional = conditional;
        this.scale = scale;
    }

    /** The guidance scale s. */
    public double scale() {
        return scale;
    }

    @Override
    public DenoiserOutput predict(NDArray xt, int t, Condition condition) {
        if (!condition.hasLabels()) {
            throw new UserError("classifier-free guidance needs class labels to guide towards, but the samples "
                    + "are unconditional; use a conditional model family (e.g. cfdg) or guidance 'none'");
        }
        if (!condition.extras().isEmpty()) {
            throw new UserError("classifier-free guidance drops class labels only; it has no null value for "
                    + condition.extras().keySet());
        }
        NDManager caller = xt.getManager();
        long n = xt.getShape().get(0);
        try (NDManager sub = caller.newSubManager()) {
            xt.tempAttach(sub);
            NDArray labels = condition.labels().toType(DataType.INT32, true);
            labels.attach(sub);
            NDArray nullLabels = sub.full(labels.getShape(), Condition.NULL_LABEL);
            NDArray doubled = NDArrays.concat(new NDList(xt, xt));
            NDArray doubledLabels = NDArrays.concat(new NDList(labels, nullLabels));
            DenoiserOutput both = conditional.predict(doubled, t, Condition.labels(doubledLabels));

            NDArray epsCond = both.epsilon().get("0:{}", n);
            NDArray epsUncond = both.epsilon().get("{}:", n);
            // Ho & Salimans 2021, eq. 6: (1 + w)·ε(x_t, y) − w·ε(x_t, ∅), written with s = 1 + w
            NDArray guided = epsUncond.add(epsCond.sub(epsUncond).mul(scale));
            NDArray fraction = conditionalHalf(both.varianceFraction(), n, caller);
            NDArray gradient = conditionalHalf(both.logProbGradient(), n, caller);
            guided.attach(caller);
            return new DenoiserOutput(guided, fraction, gradient);
        }
    }

    /** The first n rows of {@code doubled} attached to {@code caller}, or null. */
    private static NDArray conditionalHalf(NDArray doubled, long n, NDManager caller) {
        if (doubled == null) {
            return null;
        }
        NDArray half = doubled.get("0:{}", n);
        half.attach(caller);
        return half;
    }
}
