package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.difflab.kit.nn.UNetFixture.images;
import static io.difflab.kit.nn.UNetFixture.labels;
import static io.difflab.kit.nn.UNetFixture.store;
import static io.difflab.kit.nn.UNetFixture.timesteps;
import static io.difflab.kit.nn.UNetFixture.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetTest {

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();

    @AfterEach
    void close() {
        caller.close();
        params.close();
    }

    private NDArray run(UNet unet, ImageShape shape, int n, int numClasses, boolean training) {
        UNetFixture.initialize(unet, params, shape, n);
        NDArray y = numClasses > 0 ? labels(caller, n, numClasses) : null;
        return unet.forward(store(params), images(caller, shape, n), timesteps(caller, n), y, training);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, out {3}, classes {4}")
    @CsvSource({"1,28,28,1,0", "1,28,28,2,0", "1,28,28,2,10", "3,32,32,3,0", "3,32,32,6,10", "1,28,28,1,10"})
    void outputHasTheRequestedChannelsAndTheInputSize(int c, int h, int w, int out, int classes) {
        ImageShape shape = new ImageShape(c, h, w);
        UNet unet = tiny(shape).optOutChannels(out).optNumClasses(classes).build();
        assertEquals(new Shape(3, out, h, w), run(unet, shape, 3, classes, false).getShape());
        assertEquals(classes > 0, unet.isConditional());
    }

    @Test
    void oddSizesComeBackExactly() {
        ImageShape shape = new ImageShape(1, 28, 28);
        UNet unet = tiny(shape).optChannelMult(List.of(1, 1, 2, 2)).optAttentionResolutions(List.of(7, 4)).build();
        assertEquals(new Shape(2, 1, 28, 28), run(unet, shape, 2, 0, false).getShape());
        Shape[] encoded = unet.getEncoder().getOutputShapes(new Shape[] {shape.batch(2), new Shape(2, 64)});
        assertEquals(new Shape(2, 32, 4, 4), encoded[0]); // 28 -> 14 -> 7 -> 4
    }

    @Test
    void outputIsZeroAtInitialisation() {
        ImageShape shape = new ImageShape(1, 28, 28);
        NDArray out = run(tiny(shape).optNumClasses(10).optOutChannels(2).build(), shape, 4, 10, false);
        assertEquals(0f, out.abs().max().getFloat());
    }

    @Test
    void outputDependsOnInputsOnceTheZeroLayersAreNot() {
        ImageShape shape = new ImageShape(1, 28, 28);
        UNet unet = tiny(shape).optNumClasses(10).build();
        UNetFixture.randomizeZeroInitialised(unet);
        UNetFixture.initialize(unet, params, shape, 2);
        NDArray x = images(caller, shape, 2);
        ParameterStore ps = store(params);
        NDArray a = unet.forward(ps, x, caller.create(new float[] {1, 1}), caller.create(new int[] {3, 3}), false);
        NDArray b = unet.forward(ps, x, caller.create(new float[] {1, 500}), caller.create(new int[] {3, 3}), false);
        NDArray c = unet.forward(ps, x, caller.create(new float[] {1, 1}), caller.create(new int[] {3, 10}), false);
        assertTrue(a.get(0).sub(b.get(0)).abs().max().getFloat() < 1e-6f, "same t, same label");
        assertTrue(a.get(1).sub(b.get(1)).abs().max().getFloat() > 1e-4f, "t changes the output");
        assertTrue(a.get(1).sub(c.get(1)).abs().max().getFloat() > 1e-4f, "the label changes the output");
    }

    @Test
    void forwardLeavesOnlyItsOutputBehind() {
        ImageShape shape = new ImageShape(1, 28, 28);
        UNet unet = tiny(shape).optNumClasses(10).optResblockUpdown(true).build();
        UNetFixture.initialize(unet, params, shape, 2);
        NDArray x = images(caller, shape, 2);
        NDArray t = timesteps(caller, 2);
        NDArray y = labels(caller, 2, 10);
        int paramArrays = params.getManagedArrays().size();
        int callerArrays = caller.getManagedArrays().size();
        for (boolean training : new boolean[] {false, true}) {
            unet.forward(store(params), x, t, y, training);
        }
        assertEquals(callerArrays + 2, caller.getManagedArrays().size(), "one output per forward");
        assertEquals(paramArrays, params.getManagedArrays().size(), "nothing attached to the parameters' manager");
        assertFalse(x.isReleased());
        assertTrue(caller.getManagedArrays().contains(x) && caller.getManagedArrays().contains(y));
    }

    @Test
    void rejectsInputsOfAnotherSizeAndMissingLabels() {
        ImageShape shape = new ImageShape(1, 28, 28);
        UNet unet = tiny(shape).optNumClasses(10).build();
        UNetFixture.initialize(unet, params, shape, 2);
        ParameterStore ps = store(params);
        assertThrows(IllegalArgumentException.class, () -> unet.forward(ps,
                images(caller, new ImageShape(1, 32, 32), 2), timesteps(caller, 2), labels(caller, 2, 10), false));
        assertThrows(IllegalArgumentException.class, () -> unet.forward(ps,
                images(caller, shape, 2), timesteps(caller, 2), (NDArray) null, false));
    }

    @Test
    void attentionResolutionMustMatchALevel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny(new ImageShape(1, 28, 28)).optAttentionResolutions(List.of(16)).build());
        assertTrue(e.getMessage().contains("28, 14"), e.getMessage());
    }

    /**
     * Every switch on, every parameter carrying signal: the input gradient and the parameters'
     * gradients are the same whether or not Java direct buffers are freed and reused between
     * forward and backward (DJL's number arguments are borrowed buffers; see {@code Scalars}).
     */
    @Test
    void gradientsSurviveBufferReuseBetweenForwardAndBackward() {
        ImageShape shape = new ImageShape(1, 28, 28);
        UNet unet = tiny(shape).optNumClasses(10).optOutChannels(2).optResblockUpdown(true).optRescaleSkip(true)
                .optUseScaleShiftNorm(true).build();
        UNetFixture.randomizeZeroInitialised(unet);
        UNetFixture.initialize(unet, params, shape, 2);
        NDArray x = images(caller, shape, 2);
        float[] clean = gradients(unet, x, false);
        float[] churned = gradients(unet, x, true);
        assertTrue(clean.length > 2 * 28 * 28, "the input's gradient and one sum per parameter");
        org.junit.jupiter.api.Assertions.assertArrayEquals(clean, churned, 1e-5f);
    }

    /** d Σ unet(x)² / dx followed by d/dθ for the first parameters, flattened. */
    private float[] gradients(UNet unet, NDArray x, boolean churn) {
        try (NDManager step = caller.newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(step);
            in.setRequiresGradient(true);
            java.util.List<NDArray> weights = unet.getParameters().values().stream()
                    .map(ai.djl.nn.Parameter::getArray).toList();
            for (NDArray w : weights) {
                w.getGradient().muli(0); // gradients accumulate across collectors
            }
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray out = unet.forward(store(params), in, timesteps(step, 2), labels(step, 2, 10), true);
                if (churn) {
                    io.difflab.kit.engine.BufferChurn.run(step);
                }
                gc.backward(out.square().sum());
            }
            java.util.List<Float> values = new java.util.ArrayList<>();
            for (float v : in.getGradient().toFloatArray()) {
                values.add(v);
            }
            for (NDArray w : weights) {
                values.add(w.getGradient().abs().sum().getFloat());
            }
            float[] flat = new float[values.size()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = values.get(i);
            }
            return flat;
        }
    }
}
