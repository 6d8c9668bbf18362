package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One training batch, living in the step's sub-manager.
 *
 * @param manager the step's sub-manager: create intermediates here
 * @param images  x_0 (N,C,H,W) in [−1, 1]
 * @param labels  class labels (N, int32), or {@code null} for an unlabeled dataset
 * @param noise   the run's seeded noise source
 */
public record TrainingBatch(NDManager manager, NDArray images, NDArray labels, NoiseSource noise) { }
