package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;

import java.util.Map;
import java.util.function.Function;

/**
 * The base model's loss in a cascade: the inner objective on the batch's images averaged over
 * f x f blocks ({@link LowResolution#of}), the resolution the base model generates at.
 */
final class DownsampledObjective implements TrainingObjective {

    private final TrainingObjective inner;
    private final LowResolution lowResolution;

    DownsampledObjective(TrainingObjective inner, LowResolution lowResolution) {
        this.inner = inner;
        this.lowResolution = lowResolution;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        return inner.loss(new TrainingBatch(batch.manager(), lowResolution.of(batch.images()), batch.condition(),
                batch.noise(), batch.trained(), batch.step()), network, extra);
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
