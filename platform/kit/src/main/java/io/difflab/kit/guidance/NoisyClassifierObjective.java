package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.NoisedBatch;

import java.util.Map;
import java.util.function.Function;

/**
 * Trains a noise-aware classifier p_φ(y | x_t, t) (Dhariwal &amp; Nichol 2021, sec. 4): for each
 * labeled image, t ~ Uniform{0..T−1} and x_t ~ q(x_t | x_0), then the cross-entropy
 * −log p_φ(y | x_t, t) averaged over the batch. Logs {@code train.accuracy}, the share of x_t
 * classified right.
 */
public final class NoisyClassifierObjective implements TrainingObjective {

    private final GaussianDiffusion diffusion;

    /** @param diffusion the full schedule the classifier will see timesteps of */
    public NoisyClassifierObjective(GaussianDiffusion diffusion) {
        this.diffusion = diffusion;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        if (batch.labels() == null) {
            throw new IllegalStateException("a noise-aware classifier trains on labeled batches");
        }
        NoisedBatch noised = NoisedBatch.draw(diffusion, batch);
        NDArray logits = network.apply(new NDList(noised.xt(), noised.timesteps())).singletonOrThrow();
        NDArray labels = batch.labels().toType(DataType.INT64, false);
        NDArray logProb = ClassifierGradient.logProbOf(logits, labels);
        extra.put("train.accuracy", logits.argMax(1).toType(DataType.INT64, false).eq(labels)
                .toType(DataType.FLOAT32, false).mean());
        return logProb.neg().mean();
    }
}
