package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainingBatch;

import java.util.Map;
import java.util.function.Function;

/**
 * The squared-error objective of a noise estimator (Ho et al. 2020, Alg. 1): t from the schedule
 * sampler (uniform: L_simple, eq. 14) and ε ~ N(0, I) from the batch's noise source, x_t from
 * q(x_t | x_0), then, for a conditional network, each condition dropped to ∅ by its
 * {@link ConditionDropout} probability (Ho &amp; Salimans 2021, Alg. 1), and ‖y − y_θ(x_t, t, c)‖²
 * averaged over all dimensions, where y is what the network predicts ({@link Predictions#target}:
 * ε, x_0 or v). A loss-aware schedule sampler weights each sample by 1/(T·p_t) and learns from
 * the per-sample losses (Nichol &amp; Dhariwal 2021, sec. 3.3).
 */
public final class SimpleLossObjective implements DiffusionObjective {

    private final GaussianDiffusion diffusion;
    private final Parameterization parameterization;
    private final ScheduleSampler sampler;
    private final ConditionDropout dropout;

    /** ε-prediction, uniform t, without condition dropout. */
    public SimpleLossObjective(GaussianDiffusion diffusion) {
        this(diffusion, ConditionDropout.NONE);
    }

    /** ε-prediction with uniform t. */
    public SimpleLossObjective(GaussianDiffusion diffusion, ConditionDropout dropout) {
        this(diffusion, Parameterization.EPSILON, new UniformScheduleSampler(diffusion.schedule().timesteps()),
                dropout);
    }

    /**
     * @param parameterization what the network predicts, and so the loss's target
     * @param sampler          how t is drawn; its state is this objective's
     */
    public SimpleLossObjective(GaussianDiffusion diffusion, Parameterization parameterization, ScheduleSampler sampler,
                               ConditionDropout dropout) {
        this.diffusion = diffusion;
        this.parameterization = parameterization;
        this.sampler = sampler;
        this.dropout = dropout;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NoisedBatch noised = NoisedBatch.draw(diffusion, batch, sampler);
        NDArray predicted = network.apply(noised.inputs(dropout, batch, extra)).singletonOrThrow();
        if (!predicted.getShape().equals(noised.noise().getShape())) {
            throw new IllegalStateException("the estimator returned " + predicted.getShape() + " for x_t of "
                    + noised.noise().getShape() + "; a " + parameterization + "-prediction network must match");
        }
        NDArray target = Predictions.target(parameterization, diffusion, batch.images(), noised.t(), noised.noise());
        if (!sampler.lossAware()) {
            return SimpleLoss.mean(target, predicted);
        }
        NDArray perSample = SimpleLoss.perSample(target, predicted);
        DiffusionObjective.feed(sampler, noised.t(), perSample);
        return noised.weightedMean(perSample);
    }

    @Override
    public Parameterization parameterization() {
        return parameterization;
    }

    @Override
    public ScheduleSampler scheduleSampler() {
        return sampler;
    }
}
