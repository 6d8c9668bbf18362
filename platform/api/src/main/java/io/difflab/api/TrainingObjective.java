package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.Map;
import java.util.function.Function;

/** A model family's loss for one batch; the host's trainer does the rest (optimizer, EMA, checkpoints). */
public interface TrainingObjective {

    /**
     * The scalar loss to minimize.
     *
     * @param batch   the batch
     * @param network calls the estimator in training mode (inputs as in {@link EstimatorNetwork})
     * @param extra   named scalars to log besides the loss (e.g. {@code train.vlb}); may be filled
     */
    NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra);
}
