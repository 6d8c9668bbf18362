package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Seeded randomness for training and sampling, so a run with the same seed is reproducible on any
 * device. Its state can be saved and restored with checkpoints.
 */
public interface NoiseSource {

    /** Standard normal values of {@code shape}, created by {@code manager} on its device. */
    NDArray normal(NDManager manager, Shape shape);

    /** Uniform integers in [0, high) of length n (int32). */
    NDArray randint(NDManager manager, int high, long n);

    /** Uniform values in [0, 1) of length n (float32). */
    NDArray uniform(NDManager manager, long n);

    /** The state to store in a checkpoint. */
    byte[] state();

    /** Restores a state from {@link #state()}. */
    void restore(byte[] state);
}
