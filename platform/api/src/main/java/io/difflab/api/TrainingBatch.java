package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One training batch, living in the step's sub-manager.
 *
 * @param manager   the step's sub-manager: create intermediates here
 * @param images    x_0 (N,C,H,W) in [−1, 1]
 * @param condition the encoded conditions the network trains on ({@link Condition#none()} if none)
 * @param noise     the run's seeded noise source
 * @param trained   the run's networks trained before this one (frozen), e.g. a dVAE or CLIP
 * @param step      the 0-based optimizer step this batch is for; an objective whose settings change
 *                  over training (an annealed temperature, a KL weight warm-up) reads them from it,
 *                  so a resumed run computes the same loss as an uninterrupted one
 */
public record TrainingBatch(NDManager manager, NDArray images, Condition condition, NoiseSource noise,
                            TrainedNetworks trained, long step) {

    public TrainingBatch {
        if (step < 0) {
            throw new IllegalArgumentException("a training step is >= 0, got " + step);
        }
    }

    /** A batch at step 0 (for objectives that do not read the step, and tests). */
    public TrainingBatch(NDManager manager, NDArray images, Condition condition, NoiseSource noise,
                         TrainedNetworks trained) {
        this(manager, images, condition, noise, trained, 0);
    }

    /** A batch with class labels (or none when {@code labels} is null) and no earlier networks, at step 0. */
    public TrainingBatch(NDManager manager, NDArray images, NDArray labels, NoiseSource noise) {
        this(manager, images, labels == null ? Condition.none() : Condition.labels(labels), noise,
                TrainedNetworks.NONE, 0);
    }

    /** The class labels (N) int32, or {@code null} when the batch has none. */
    public NDArray labels() {
        return condition.labels();
    }
}
