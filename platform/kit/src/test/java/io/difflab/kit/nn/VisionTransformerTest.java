package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionTransformerTest {

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void patchesAreRowsOfChannelMajorBlocks() {
        int n = 2;
        int c = 3;
        int r = 4;
        int p = 2;
        float[] x = new float[n * c * r * r];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] rows = VisionTransformer.patches(manager.create(x, new Shape(n, c, r, r)), p).toFloatArray();
        int g = r / p;
        int k = 0;
        for (int b = 0; b < n; b++) {
            for (int gy = 0; gy < g; gy++) {
                for (int gx = 0; gx < g; gx++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int dy = 0; dy < p; dy++) {
                            for (int dx = 0; dx < p; dx++) {
                                int y = gy * p + dy;
                                int xx = gx * p + dx;
                                assertEquals(x[((b * c + ch) * r + y) * r + xx], rows[k++], "patch entry " + k);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(rows.length, k);
    }

    @Test
    void encodesImagesToOneVectorEach() {
        VisionTransformer vit = VisionTransformer.builder().setChannels(3).setResolution(8).setPatchSize(4)
                .setWidth(8).optLayers(1).optHeads(2).build();
        Engine.getInstance().setRandomSeed(1);
        vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8));
        NDArray images = manager.randomUniform(-1, 1, new Shape(3, 3, 8, 8));
        NDArray out = vit.forward(ps, images, null, false);
        assertEquals(new Shape(3, 8), out.getShape());
        // each image on its own gives the same vector as in the batch
        assertArrayEquals(out.get("1,:").toFloatArray(),
                vit.forward(ps, images.get("1:2"), null, false).get("0,:").toFloatArray(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> vit.forward(ps, images, manager.zeros(new Shape(3)), false));
    }

    @Test
    void aNoiseAwareEncoderReadsTheTimestep() {
        VisionTransformer vit = VisionTransformer.builder().setChannels(3).setResolution(8).setPatchSize(4)
                .setWidth(8).optLayers(1).optHeads(2).optTimesteps(10).build();
        Engine.getInstance().setRandomSeed(1);
        vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8), new Shape(1));
        NDArray images = manager.randomUniform(-1, 1, new Shape(1, 3, 8, 8)).repeat(0, 2);
        NDArray out = vit.forward(ps, images, manager.create(new int[] {0, 9}), false);
        float[] a = out.get("0,:").toFloatArray();
        float[] b = out.get("1,:").toFloatArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff > 1e-3, "the same image at t = 0 and t = 9 must encode differently");
        assertEquals(10, vit.timesteps());
        assertThrows(IllegalArgumentException.class, () -> vit.forward(ps, images, null, false));
    }

    @Test
    void aPatchSizeMustDivideTheImage() {
        assertThrows(IllegalArgumentException.class, () -> VisionTransformer.builder().setChannels(3).setResolution(10)
                .setPatchSize(4).setWidth(8).build());
    }
}
