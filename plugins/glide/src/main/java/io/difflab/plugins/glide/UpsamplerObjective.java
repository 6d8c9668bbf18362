package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.Condition;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;

import java.util.Map;
import java.util.function.Function;

/**
 * An upsampler's loss: the batch's low-resolution images are derived from its images
 * ({@link LowResolution#of}) and added to its condition after the caption, then the inner objective
 * (L_hybrid with caption dropout) trains the estimator on x_t of the full-resolution images.
 */
final class UpsamplerObjective implements TrainingObjective {

    private final TrainingObjective inner;
    private final LowResolution lowResolution;

    UpsamplerObjective(TrainingObjective inner, LowResolution lowResolution) {
        this.inner = inner;
        this.lowResolution = lowResolution;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        Condition condition = batch.condition().with(LowResolution.NAME,
                new Condition.Entry(lowResolution.kind(), new NDList(lowResolution.of(batch.images()))));
        return inner.loss(new TrainingBatch(batch.manager(), batch.images(), condition, batch.noise(), batch.trained(),
                batch.step()), network, extra);
    }

    @Override
    public Map<String, String> state() {
        return inner.state();
    }

    @Override
    public void restore(Map<String, String> state) {
        inner.restore(state);
    }
}
