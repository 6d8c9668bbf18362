package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;

import java.util.Map;
import java.util.function.Function;

/**
 * Training with L_simple for an ε-prediction network (Ho et al. 2020, Alg. 1): t ~ Uniform{0..T−1}
 * and ε ~ N(0, I) from the batch's noise source, x_t from q(x_t | x_0), then, for a conditional
 * network, each condition dropped to ∅ by its {@link ConditionDropout} probability (Ho &amp; Salimans
 * 2021, Alg. 1), and the loss ‖ε − ε_θ(x_t, t, c)‖² averaged over all dimensions.
 */
public final class SimpleLossObjective implements TrainingObjective {

    private final GaussianDiffusion diffusion;
    private final ConditionDropout dropout;

    /** Without condition dropout. */
    public SimpleLossObjective(GaussianDiffusion diffusion) {
        this(diffusion, ConditionDropout.NONE);
    }

    public SimpleLossObjective(GaussianDiffusion diffusion, ConditionDropout dropout) {
        this.diffusion = diffusion;
        this.dropout = dropout;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NoisedBatch noised = NoisedBatch.draw(diffusion, batch);
        NDArray predicted = network.apply(noised.inputs(dropout, batch, extra)).singletonOrThrow();
        if (!predicted.getShape().equals(noised.noise().getShape())) {
            throw new IllegalStateException("the estimator returned " + predicted.getShape()
                    + " for x_t of " + noised.noise().getShape() + "; an epsilon-prediction network must match");
        }
        return SimpleLoss.mean(noised.noise(), predicted);
    }
}
