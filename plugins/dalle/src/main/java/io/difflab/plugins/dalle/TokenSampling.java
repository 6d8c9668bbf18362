package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.nn.ForwardScope;

/**
 * How the next token is drawn from the transformer's logits (N, K): divided by a temperature T,
 * restricted to the k most likely tokens (top-k; Fan et al. 2018) and to the smallest set whose
 * probability reaches p (nucleus sampling; Holtzman et al. 2020), renormalised, and sampled by the
 * Gumbel-max trick from uniform noise (exact: see {@link GumbelSoftmax}). So the token is drawn
 * from softmax(l/T) restricted and renormalised, a distribution tests compare to its closed form.
 *
 * @param temperature T &gt; 0 (1 keeps the model's distribution)
 * @param topK        k; 0 keeps every token
 * @param topP        p in (0, 1]; 1 keeps every token
 */
public record TokenSampling(double temperature, int topK, double topP) {

    public TokenSampling {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the sampling temperature must be positive, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }

    /** Draws one token per row of {@code logits} (N, K) with uniform noise (N·K); returns (N) int64. */
    public NDArray sample(NDArray logits, NDArray uniform) {
        // the intermediates live in the scope and are freed at once: a sampler calls this once per token
        try (ForwardScope s = ForwardScope.open(logits, uniform)) {
            NDArray restricted = restrict(logits);
            NDArray gumbel = GumbelSoftmax.gumbel(uniform.reshape(logits.getShape()));
            return s.keep(GumbelSoftmax.hardSample(restricted, gumbel, -1).toType(DataType.INT64, false));
        }
    }

    /** The logits l/T with every token outside the top-k and the nucleus set to −10⁹ (probability 0). */
    public NDArray restrict(NDArray logits) {
        NDArray scaled = temperature == 1 ? logits.duplicate() : Scalars.div(logits, temperature);
        long k = logits.getShape().get(1);
        if (topK > 0 && topK < k) {
            NDArray threshold = scaled.topK(topK, -1).get(0).min(new int[] {1}, true);
            scaled = drop(scaled, scaled.lt(threshold));
        }
        if (topP < 1) {
            NDArray probabilities = scaled.softmax(-1);
            NDArray descending = probabilities.sort(-1).flip(1);
            // keep the tokens whose more likely predecessors have not yet reached p (the first always)
            NDArray before = descending.cumSum(1).sub(descending);
            NDArray kept = before.lt(topP).toType(DataType.INT64, false).sum(new int[] {1}, true);
            NDArray threshold = descending.gather(kept.sub(1L), 1);
            scaled = drop(scaled, probabilities.lt(threshold));
        }
        return scaled;
    }

    private static NDArray drop(NDArray logits, NDArray dropped) {
        return logits.add(dropped.toType(DataType.FLOAT32, false).mul(-1e9f));
    }

    /** A description for logs: {@code T=1 top-k=0 top-p=1}. */
    @Override
    public String toString() {
        return "T=" + temperature + " top-k=" + topK + " top-p=" + topP;
    }

    /** The probabilities (N, K) tokens are drawn with. */
    NDArray probabilities(NDArray logits) {
        return restrict(logits).softmax(-1);
    }
}
