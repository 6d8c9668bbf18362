package io.difflab.kit.clip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.kit.nn.TextTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipNetworkTest {

    static final int END = 3;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    static ClipArchitecture tiny(int channels, int timesteps) {
        return new ClipArchitecture(channels, 8, 4, 8, 1, 2, timesteps, timesteps > 0 ? "linear" : "", 12, 6, 8, 1, 2,
                true, TextTransformer.Pooling.END_TOKEN, 4, "word", "vocabulary.txt");
    }

    private ClipNetwork initialised(ClipArchitecture a) {
        ClipNetwork network = new ClipNetwork(a);
        Engine.getInstance().setRandomSeed(2);
        network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
        return network;
    }

    @Test
    void forwardGivesBothFeaturesAndTheTemperature() {
        ClipNetwork network = initialised(tiny(3, 0));
        NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        NDArray ids = manager.create(new int[] {2, 5, 7, END, 0, 0, 2, 9, END, 0, 0, 0}, new Shape(2, 6));
        NDArray mask = manager.create(new int[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0}, new Shape(2, 6));
        NDList out = network.forward(new ParameterStore(manager, false), new NDList(images, ids, mask), false);
        assertEquals(new Shape(2, 4), out.get(0).getShape());
        assertEquals(new Shape(2, 4), out.get(1).getShape());
        assertEquals(Math.log(1 / 0.07), out.get(2).getFloat(), 1e-6);
    }

    @Test
    void theEndTokenGivesTheMaskAndTheEmptyCaptionHasNone() {
        ClipNetwork network = initialised(tiny(3, 0));
        TrainedClip clip = new TrainedClip(network, new ParameterStore(manager, false), END);
        NDArray ids = manager.create(new int[] {2, 5, 7, END, 0, 0, 0, 0, 0, 0, 0, 0}, new Shape(2, 6));
        NDArray mask = manager.create(new int[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, new Shape(2, 6));
        float[] derived = clip.encodeText(ids).toFloatArray();
        assertArrayEquals(clip.encodeText(ids, mask).toFloatArray(), derived, 1e-6f);
        for (float v : derived) {
            assertTrue(Float.isFinite(v), "the ∅ caption's features are finite");
        }
    }

    @Test
    void platformImagesAndClipInputGiveTheSameFeatures() {
        ClipNetwork network = initialised(tiny(3, 0));
        TrainedClip clip = new TrainedClip(network, new ParameterStore(manager, false), END);
        NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        assertArrayEquals(images.toFloatArray(), ClipInput.toPlatform(ClipInput.of(images, 8)).toFloatArray(), 1e-5f);
        assertArrayEquals(clip.imageFeatures(images).toFloatArray(),
                clip.encodeImage(ClipInput.of(images, 8)).toFloatArray(), 1e-4f);
        // grey images read as RGB; a half-size image is upscaled by repeating pixels
        NDArray grey = manager.randomUniform(-1, 1, new Shape(1, 1, 4, 4));
        NDArray input = ClipInput.of(grey, 8);
        assertEquals(new Shape(1, 3, 8, 8), input.getShape());
        assertArrayEquals(ClipInput.toPlatform(input).get("0,0,:,:").toFloatArray(),
                ClipInput.toPlatform(input).get("0,2,:,:").toFloatArray(), 1e-5f);
        assertThrows(io.difflab.api.UserError.class, () -> ClipInput.of(manager.zeros(new Shape(1, 3, 3, 3)), 8));
    }

    @Test
    void aNoiseAwareClipReadsXtAndT() {
        ClipNetwork network = initialised(tiny(3, 10));
        TrainedClip clip = new TrainedClip(network, new ParameterStore(manager, false), END);
        assertTrue(clip.noiseAware());
        assertEquals("linear:10", clip.noisedBy());
        NDArray xt = manager.randomNormal(new Shape(1, 3, 8, 8)).repeat(0, 2);
        float[] f = clip.encodeNoisedImage(xt, manager.create(new int[] {0, 9})).toFloatArray();
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(f, 0, 4), java.util.Arrays.copyOfRange(f, 4, 8)));
        // clean images are x_0: t = 0
        assertArrayEquals(java.util.Arrays.copyOfRange(f, 0, 4),
                clip.imageFeatures(xt.get("0:1")).toFloatArray(), 1e-5f);
        TrainedClip clean = new TrainedClip(initialised(tiny(3, 0)), new ParameterStore(manager, false), END);
        assertThrows(UnsupportedOperationException.class, () -> clean.encodeNoisedImage(xt, manager.zeros(new Shape(2))));
    }

    @Test
    void logitsAreTheScaledCosinesOfNormalisedFeatures() {
        ClipNetwork network = initialised(tiny(3, 0));
        TrainedClip clip = new TrainedClip(network, new ParameterStore(manager, false), END);
        NDArray a = manager.create(new float[] {3, 4, 0, 0, 1, 0, 0, 0}, new Shape(2, 4));
        NDArray b = manager.create(new float[] {0, 2, 0, 0}, new Shape(1, 4));
        float[] logits = clip.logits(a, b).toFloatArray();
        // cos = 4/5 and 0, times exp(log(1/0.07))
        assertEquals(0.8 / 0.07, logits[0], 1e-4);
        assertEquals(0, logits[1], 1e-6);
    }
}
