package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Of the prior's candidates, the one with the larger dot product with z_t is kept, per caption. */
class CandidateSelectionTest {

    @Test
    void keepsTheCandidateWithTheLargerDotProductWithTheTextEmbedding() {
        try (NDManager m = NDManager.newBaseManager()) {
            // caption 0: z_t = (1, 0); candidates (0.5, 3) · z_t = 0.5 and (2, 0) · z_t = 2: the second wins,
            // though the first is longer. caption 1: z_t = (0, -1); (1, -1) · z_t = 1 beats (0, 0.5) · z_t = -0.5.
            NDArray candidates = m.create(new float[] {0.5f, 3f, 2f, 0f, 1f, -1f, 0f, 0.5f}, new Shape(2, 2, 2));
            NDArray text = m.create(new float[] {1f, 0f, 0f, -1f}, new Shape(2, 2));
            assertArrayEquals(new float[] {0.5f, 2f, 1f, -0.5f},
                    CandidateSelection.scores(candidates, text).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2f, 0f, 1f, -1f},
                    CandidateSelection.select(candidates, text).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void picksAmongMoreThanTwoCandidates() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray candidates = m.create(new float[] {1f, 1f, 3f, -1f, 2f, 2f}, new Shape(1, 3, 2));
            NDArray text = m.create(new float[] {1f, 1f}, new Shape(1, 2));
            assertArrayEquals(new float[] {2f, 2f}, CandidateSelection.select(candidates, text).toFloatArray(), 1e-6f);
        }
    }
}
