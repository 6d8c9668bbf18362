package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The vision transformer's intermediate feature maps: one per layer, patch tokens laid out as the image's grid. */
class VisionTransformerFeatureMapsTest {

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void tokenMapPutsTokenOnePlusIGPlusJAtRowIColumnJ() {
        int n = 2;
        int g = 3;
        int d = 4;
        float[] states = new float[n * (1 + g * g) * d];
        for (int k = 0; k < states.length; k++) {
            states[k] = k;
        }
        float[] map = VisionTransformer.tokenMap(manager.create(states, new Shape(n, 1 + g * g, d)), g).toFloatArray();
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < d; c++) {
                for (int i = 0; i < g; i++) {
                    for (int j = 0; j < g; j++) {
                        float token = states[(b * (1 + g * g) + 1 + i * g + j) * d + c];
                        assertEquals(token, map[((b * d + c) * g + i) * g + j], "map[" + b + "," + c + "," + i + "," + j + "]");
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> VisionTransformer.tokenMap(manager.zeros(new Shape(1, g * g, d)), g));
    }

    @Test
    void oneMapPerLayerEachTheSameFunctionOfTheImageAndItsTimestep() {
        VisionTransformer vit = VisionTransformer.builder().setChannels(3).setResolution(8).setPatchSize(2)
                .setWidth(8).optLayers(3).optHeads(2).optTimesteps(10).build();
        Engine.getInstance().setRandomSeed(5);
        vit.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 8, 8), new Shape(2));
        NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        NDArray t = manager.create(new int[] {1, 7});
        NDList maps = vit.featureMaps(ps, images, t, false);
        assertEquals(3, maps.size());
        for (NDArray map : maps) {
            assertEquals(new Shape(2, 8, 4, 4), map.getShape());
        }
        assertNotEquals(maps.get(0).sum().getFloat(), maps.get(2).sum().getFloat(), "layers differ");
        // the maps are the same function as forward: features at another t differ, the same t agrees
        NDList again = vit.featureMaps(ps, images, t, false);
        assertArrayEquals(maps.get(2).toFloatArray(), again.get(2).toFloatArray(), 1e-6f);
        NDList other = vit.featureMaps(ps, images, manager.create(new int[] {2, 7}), false);
        assertNotEquals(maps.get(1).get("0").sum().getFloat(), other.get(1).get("0").sum().getFloat(),
                "the timestep token reaches the patch tokens through attention");
        assertArrayEquals(maps.get(1).get("1").toFloatArray(), other.get(1).get("1").toFloatArray(), 1e-6f);
    }
}
