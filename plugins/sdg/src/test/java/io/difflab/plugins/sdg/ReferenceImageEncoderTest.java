package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference images to one batch array, ∅ as the zero image; the reference-similarity mean. */
class ReferenceImageEncoderTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void rowsInOrderAndTheNullImageIsZero() {
        ReferenceImageEncoder encoder = new ReferenceImageEncoder(new ImageShape(1, 2, 2));
        float[] a = {1, -1, 0.5f, 0};
        float[] b = {0.25f, 0.25f, -0.5f, 1};
        NDArray x = encoder.encode(Arrays.asList(a, null, b), manager).get(0);
        assertEquals(new Shape(3, 1, 2, 2), x.getShape());
        assertArrayEquals(new float[] {1, -1, 0.5f, 0, 0, 0, 0, 0, 0.25f, 0.25f, -0.5f, 1}, x.toFloatArray());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(java.util.List.of(new float[3]), manager));
        assertTrue(wrong.getMessage().contains("1x2x2"), wrong.getMessage());
    }

    @Test
    void similarityIsTheMeanCosineOfUnitPairs() {
        float[][] samples = {{1, 0}, {0, 1}};
        float[][] references = {{1, 0}, {0.6f, 0.8f}};
        assertEquals((1 + 0.8) / 2, ReferenceSimilarityMetric.meanCosine(samples, references), 1e-6);
    }
}
