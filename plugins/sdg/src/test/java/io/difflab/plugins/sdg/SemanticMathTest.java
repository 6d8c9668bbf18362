package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The scores of the survey's eqs. 8-10 against values worked out by hand on small arrays. */
class SemanticMathTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void cosineOfRows() {
        NDArray a = manager.create(new float[] {3, 4, 1, 0}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {4, 3, -2, 0}, new Shape(2, 2));
        // (12 + 12) / (5 · 5) = 0.96; opposite directions: −1
        assertArrayEquals(new float[] {0.96f, -1f}, SemanticMath.cosine(a, b).toFloatArray(), 1e-6f);
    }

    @Test
    void structureIsMinusTheNormOfEachMapsDifferenceOverItsSize() {
        // sample 0: map 1 (C=1, 2x2) differs by (3, 4, 0, 0) -> ‖·‖ = 5, /4; map 2 (C=2, 1x1) by (0, 2) -> 2, /2
        // sample 1: no difference in map 1, map 2 differs by (1, 0) -> 1/2
        NDArray f1 = manager.create(new float[] {3, 4, 0, 0, 1, 1, 1, 1}, new Shape(2, 1, 2, 2));
        NDArray r1 = manager.create(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, new Shape(2, 1, 2, 2));
        NDArray f2 = manager.create(new float[] {5, 2, 1, 7}, new Shape(2, 2, 1, 1));
        NDArray r2 = manager.create(new float[] {5, 0, 0, 7}, new Shape(2, 2, 1, 1));
        float[] f = SemanticMath.structure(new NDList(f1, f2), new NDList(r1, r2)).toFloatArray();
        assertArrayEquals(new float[] {-(5f / 4 + 2f / 2), -(0 + 1f / 2)}, f, 1e-6f);
    }

    @Test
    void gramMatricesAndTheStyleScore() {
        // F (C=2, HW=2) = [[1, 2], [3, 4]]: G = F Fᵀ = [[5, 11], [11, 25]]
        NDArray map = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
        assertArrayEquals(new float[] {5, 11, 11, 25}, SemanticMath.gram(map).toFloatArray(), 1e-6f);
        // reference F' = [[1, 0], [0, 1]]: G' = I, G − G' = [[4, 11], [11, 24]], ‖·‖²_F = 16 + 121 + 121 + 576
        // = 834, over 4 C² (HW)² = 4 · 4 · 4 (Gatys et al. 2016, eq. 4)
        NDArray reference = manager.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 1, 2));
        assertArrayEquals(new float[] {-834f / 64}, SemanticMath.style(new NDList(map), new NDList(reference)).toFloatArray(),
                1e-4f);
        // Gram matrices ignore where features are: a permutation of positions has the same style
        NDArray swapped = manager.create(new float[] {2, 1, 4, 3}, new Shape(1, 2, 1, 2));
        assertArrayEquals(new float[] {0f}, SemanticMath.style(new NDList(map), new NDList(swapped)).toFloatArray(),
                1e-6f);
    }
}
