package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.Map;
import java.util.function.Function;

/**
 * A model family's loss for one batch; the host's trainer does the rest (optimizer, EMA, checkpoints).
 * An objective that learns across steps (a loss-aware timestep sampler) exposes that state, which the
 * trainer writes into every checkpoint and restores on resume, so a resumed run continues exactly.
 */
public interface TrainingObjective {

    /**
     * The scalar loss to minimize.
     *
     * @param batch   the batch
     * @param network calls the estimator in training mode (inputs as in {@link EstimatorNetwork})
     * @param extra   named scalars to log besides the loss (e.g. {@code train.vlb}); may be filled
     */
    NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra);

    /** What the objective carries from step to step, as strings (empty for a stateless one). */
    default Map<String, String> state() {
        return Map.of();
    }

    /** Restores a state from {@link #state()}, read from the checkpoint a run resumes from. */
    default void restore(Map<String, String> state) {
    }
}
