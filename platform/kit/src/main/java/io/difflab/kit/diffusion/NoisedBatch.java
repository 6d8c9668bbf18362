package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.TrainingBatch;

import java.util.Map;

/**
 * A training batch noised as every diffusion objective starts (Ho et al. 2020, Alg. 1, lines 3-5):
 * t from a {@link ScheduleSampler} (uniform by default), ε ~ N(0, I), x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε,
 * drawn from the batch's seeded noise in that order.
 *
 * @param t       the timesteps (N), indices into the schedule
 * @param noise   ε, shaped like the images
 * @param xt      x_t
 * @param weights the importance weights (N) of the timesteps, or {@code null} when all are 1
 */
public record NoisedBatch(NDArray t, NDArray noise, NDArray xt, NDArray weights) {

    /** Uniform timesteps: no weights. */
    public NoisedBatch(NDArray t, NDArray noise, NDArray xt) {
        this(t, noise, xt, null);
    }

    /** Draws t ~ Uniform{0..T−1} and ε for {@code batch}'s images and noises them with {@code diffusion}. */
    public static NoisedBatch draw(GaussianDiffusion diffusion, TrainingBatch batch) {
        return draw(diffusion, batch, new UniformScheduleSampler(diffusion.schedule().timesteps()));
    }

    /** Draws t from {@code sampler}, then ε, for {@code batch}'s images and noises them with {@code diffusion}. */
    public static NoisedBatch draw(GaussianDiffusion diffusion, TrainingBatch batch, ScheduleSampler sampler) {
        NDArray xStart = batch.images();
        ScheduleSampler.Draw drawn = sampler.draw(batch.noise(), batch.manager(), xStart.getShape().get(0));
        NDArray noise = batch.noise().normal(batch.manager(), xStart.getShape());
        return new NoisedBatch(drawn.t(), noise, diffusion.qSample(xStart, drawn.t(), noise), drawn.weights());
    }

    /**
     * The batch loss from per-sample losses (N): their mean, each weighted by its timestep's
     * importance weight when the timesteps were not uniform (Nichol &amp; Dhariwal 2021, sec. 3.3).
     */
    public NDArray weightedMean(NDArray perSample) {
        return weights == null ? perSample.mean() : perSample.mul(weights).mean();
    }

    /**
     * The estimator's input (EstimatorNetwork's convention): x_t, t, then the arrays of the batch's
     * conditions, each dropped to ∅ by {@code dropout}, whose draws follow t's and ε's; the shares
     * dropped go into {@code extra}.
     */
    public NDList inputs(ConditionDropout dropout, TrainingBatch batch, Map<String, NDArray> extra) {
        NDList inputs = new NDList(xt, timesteps());
        Condition condition = dropout.apply(batch.condition(), batch.noise(), batch.manager(), extra);
        inputs.addAll(condition.arrays());
        return inputs;
    }

    /** t as the networks take it: float32 (EstimatorNetwork's input convention). */
    public NDArray timesteps() {
        return t.toType(DataType.FLOAT32, false);
    }
}
