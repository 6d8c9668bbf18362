package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionKind;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.NoiseSource;
import io.difflab.kit.diffusion.DiagonalGaussian;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.schedule.TimestepSpacing;

/**
 * Samples the diffusion prior (Ramesh et al. 2022, sec. 2.2): ancestral steps over the prior's schedule,
 * respaced to {@code steps} (64 in the paper), the network predicting z_0 directly, so each step is
 * x_{t−1} ~ N(μ̃_t(x_t, ẑ_0), β̃_t I) (Ho et al. 2020, eq. 6–7); with guidance scale s,
 * ẑ_0 = ẑ_0(∅) + s·(ẑ_0(y) − ẑ_0(∅)) (classifier-free guidance on the prior's output, the text
 * conditioning dropped as in training). k candidates per caption are drawn and the one with the
 * larger dot product with z_t kept ({@link CandidateSelection}).
 */
final class PriorSampler {

    /** The prior's forward pass in inference mode: ẑ_0 (N, E) of (z_i^(τ), τ, z_t, ids, mask). */
    @FunctionalInterface
    interface Network {
        NDArray predict(NDArray noised, NDArray t, NDArray zt, NDArray ids, NDArray mask);

        /** {@code prior} with {@code weights} (its averaged ones). */
        static Network of(DiffusionPrior prior, ParameterStore weights) {
            return (noised, t, zt, ids, mask) -> prior.predict(weights, noised, t, zt, ids, mask, false);
        }
    }

    private final DiffusionSchedule schedule;
    private final GaussianDiffusion diffusion;
    private final double guidanceScale;
    private final int candidates;

    /**
     * @param full          the prior's training schedule
     * @param steps         sampling steps (≤ T; evenly spaced)
     * @param guidanceScale s: 1 samples the conditional prior, 0 the unconditional one
     * @param candidates    k ≥ 1 samples per caption
     */
    PriorSampler(DiffusionSchedule full, int steps, double guidanceScale, int candidates) {
        this.schedule = steps >= full.timesteps() ? full : full.respace(TimestepSpacing.evenly(full.timesteps(), steps));
        this.diffusion = new GaussianDiffusion(schedule);
        this.guidanceScale = guidanceScale;
        this.candidates = candidates;
    }

    /** Network evaluations per sampled embedding (one per step, two with guidance), per candidate. */
    double evaluationsPerCandidate() {
        return schedule.timesteps() * (guidanceScale == 1.0 ? 1.0 : 2.0);
    }

    /** k. */
    int candidates() {
        return candidates;
    }

    /**
     * The kept image embeddings (N, E) for captions (ids, mask (N, L)) with text embeddings z_t (N, E).
     *
     * @param prior the trained prior
     */
    NDArray sample(Network prior, NDArray zt, NDArray ids, NDArray mask, NoiseSource noise) {
        NDManager m = zt.getManager();
        long n = zt.getShape().get(0);
        long e = zt.getShape().get(1);
        NDArray text = zt.repeat(0, candidates);
        NDArray rowIds = ids.repeat(0, candidates);
        NDArray rowMask = mask.repeat(0, candidates);
        long rows = n * candidates;
        NDArray x = noise.normal(m, new Shape(rows, e));
        int[] map = schedule.timestepMap();
        for (int i = schedule.timesteps() - 1; i >= 0; i--) {
            try (NDManager step = m.newSubManager()) {
                x.attach(step);
                NDArray t = step.full(new Shape(rows), i);
                NDArray original = step.full(new Shape(rows), (float) map[i]);
                NDArray z0 = guidedPrediction(prior, x, original, text, rowIds, rowMask);
                DiagonalGaussian posterior = diffusion.qPosteriorMeanVariance(z0, x, t);
                NDArray next = posterior.mean();
                if (i > 0) {
                    next = next.add(posterior.variance().sqrt().mul(noise.normal(step, x.getShape())));
                }
                next.attach(m);
                x = next;
            }
        }
        NDArray all = x.reshape(n, candidates, e);
        return candidates == 1 ? all.reshape(n, e) : CandidateSelection.select(all, zt);
    }

    /** ẑ_0, guided when s ≠ 1: one network call on the conditional and ∅ rows together. */
    private NDArray guidedPrediction(Network prior, NDArray x, NDArray t, NDArray zt, NDArray ids,
                                     NDArray mask) {
        if (guidanceScale == 1.0) {
            return prior.predict(x, t, zt, ids, mask);
        }
        long rows = x.getShape().get(0);
        NDList nullText = ConditionKind.TOKENS.nullLike(new NDList(ids, mask));
        NDArray zeros = ConditionKind.EMBEDDING.nullLike(new NDList(zt)).head();
        NDArray both = prior.predict(NDArrays.concat(new NDList(x, x)), NDArrays.concat(new NDList(t, t)),
                NDArrays.concat(new NDList(zt, zeros)), NDArrays.concat(new NDList(ids, nullText.get(0))),
                NDArrays.concat(new NDList(mask, nullText.get(1))));
        NDArray conditional = both.get("0:{}", rows);
        NDArray unconditional = both.get("{}:", rows);
        return unconditional.add(conditional.sub(unconditional).mul((float) guidanceScale));
    }
}
