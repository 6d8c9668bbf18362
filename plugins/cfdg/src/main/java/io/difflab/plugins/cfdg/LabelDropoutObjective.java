package io.difflab.plugins.cfdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.NoisedBatch;
import io.difflab.kit.diffusion.SimpleLoss;

import java.util.Map;
import java.util.function.Function;

/**
 * Ho &amp; Salimans 2021, Alg. 1, for class labels: t ~ Uniform{0..T−1}, ε ~ N(0, I), each label
 * replaced by the null label with probability p_uncond, then L_simple = ‖ε − ε_θ(x_t, t, c)‖²
 * (Ho et al. 2020, eq. 14) averaged over all dimensions. The fraction of labels dropped in the
 * batch is logged as {@code train.dropped}.
 */
final class LabelDropoutObjective implements TrainingObjective {

    private final GaussianDiffusion diffusion;
    private final ConditionDropout dropout;
    private final int nullLabel;

    /** @param nullLabel the network's null label, its number of classes */
    LabelDropoutObjective(GaussianDiffusion diffusion, ConditionDropout dropout, int nullLabel) {
        this.diffusion = diffusion;
        this.dropout = dropout;
        this.nullLabel = nullLabel;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        if (batch.labels() == null) {
            throw new UserError("model 'cfdg' trains on class labels, but the training batches carry none");
        }
        NoisedBatch noised = NoisedBatch.draw(diffusion, batch);
        // Alg. 1, line 3: c ← ∅ with probability p_uncond
        NDArray dropped = dropout.mask(batch.noise(), batch.manager(), batch.images().getShape().get(0));
        NDArray labels = ConditionDropout.dropLabels(batch.labels(), dropped, nullLabel);
        NDArray predicted = network.apply(new NDList(noised.xt(), noised.timesteps(), labels)).singletonOrThrow();
        if (!predicted.getShape().equals(noised.noise().getShape())) {
            throw new IllegalStateException("the estimator returned " + predicted.getShape()
                    + " for x_t of " + noised.noise().getShape() + "; an epsilon-prediction network must match");
        }
        extra.put("train.dropped", dropped.toType(DataType.FLOAT32, false).mean());
        return SimpleLoss.mean(noised.noise(), predicted);
    }
}
