package io.difflab.kit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Test helper: allocates and frees many small Java direct buffers around a garbage collection,
 * as a long training run does between a forward and its backward pass, so that memory a freed
 * buffer held is handed out again.
 */
public final class BufferChurn {

    private BufferChurn() {
    }

    /** One round of churn through {@code manager}. */
    public static void run(NDManager manager) {
        for (int i = 0; i < 1000; i++) {
            try (NDArray junk = manager.create(new float[] {12345f, 6789f})) {
                junk.getFloat(0);
            }
        }
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < 1000; i++) {
            try (NDArray junk = manager.create(new float[] {-99999f})) {
                junk.getFloat();
            }
        }
    }
}
