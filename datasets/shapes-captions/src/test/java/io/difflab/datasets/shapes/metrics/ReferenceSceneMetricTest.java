package io.difflab.datasets.shapes.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReferenceSceneMetricTest {

    private static float[] image(float value) {
        float[] pixels = new float[3 * 2 * 2];
        Arrays.fill(pixels, value);
        return pixels;
    }

    @Test
    void theReferencesOfGuidedRowsAreStackedInTheirOrder() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            List<Object> references = Arrays.asList(image(0.5f), null, image(-1f));
            NDArray stacked = ReferenceSceneMetric.stack(references, List.of(0, 2), new Shape(3, 3, 2, 2), manager);
            assertEquals(new Shape(2, 3, 2, 2), stacked.getShape());
            float[] expected = new float[24];
            Arrays.fill(expected, 0, 12, 0.5f);
            Arrays.fill(expected, 12, 24, -1f);
            assertArrayEquals(expected, stacked.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> ReferenceSceneMetric.stack(
                    List.of(new float[5]), List.of(0), new Shape(1, 3, 2, 2), manager));
        }
    }
}
