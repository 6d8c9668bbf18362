package io.difflab.core.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;

import java.util.Map;
import java.util.function.Function;

/**
 * Training with L_simple for an unconditional ε-prediction network (Ho et al. 2020, Alg. 1):
 * t ~ Uniform{0..T−1} and ε ~ N(0, I) from the batch's noise source, x_t from q(x_t | x_0),
 * loss ‖ε − ε_θ(x_t, t)‖² averaged over all dimensions.
 */
public final class SimpleLossObjective implements TrainingObjective {

    private final GaussianDiffusion diffusion;

    public SimpleLossObjective(GaussianDiffusion diffusion) {
        this.diffusion = diffusion;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NDArray xStart = batch.images();
        long n = xStart.getShape().get(0);
        NDArray t = batch.noise().randint(batch.manager(), diffusion.schedule().timesteps(), n);
        NDArray noise = batch.noise().normal(batch.manager(), xStart.getShape());
        NDArray xt = diffusion.qSample(xStart, t, noise);
        // the network sees the timestep as float32 (EstimatorNetwork's input convention)
        NDArray predicted = network.apply(new NDList(xt, t.toType(DataType.FLOAT32, false))).singletonOrThrow();
        if (!predicted.getShape().equals(noise.getShape())) {
            throw new IllegalStateException("the estimator returned " + predicted.getShape()
                    + " for x_t of " + noise.getShape() + "; an epsilon-prediction network must match");
        }
        return SimpleLoss.mean(noise, predicted);
    }
}
