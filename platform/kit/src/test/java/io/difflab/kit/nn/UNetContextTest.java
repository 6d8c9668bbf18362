package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A U-Net reading token states in every attention layer (GLIDE's encoder_kv, Nichol et al. 2021,
 * sec. 3.1), padding masked out: real PyTorch engine, a tiny network with attention at two levels.
 */
class UNetContextTest {

    static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    static final int L = 5;
    static final int D = 8;
    static final ConditionInput STATES = new ConditionInput("caption", ConditionKind.TOKEN_STATES,
            List.of(new Shape(L, D), new Shape(L)), 0);

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();

    @AfterEach
    void close() {
        caller.close();
        params.close();
    }

    private UNet unet() {
        UNet unet = UNetFixture.tiny(SHAPE).optConditions(List.of(STATES)).build();
        UNetFixture.randomizeZeroInitialised(unet);
        Engine.getInstance().setRandomSeed(3);
        unet.initialize(params, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2, L, D), new Shape(2, L));
        return unet;
    }

    private float[] forward(UNet unet, NDArray x, NDArray states, int[] mask) {
        NDArray m = caller.create(mask, new Shape(2, L));
        return unet.forward(new ParameterStore(params, false), x, UNetFixture.timesteps(caller, 2),
                new NDList(states, m), false).toFloatArray();
    }

    @Test
    void everyAttentionLayerReadsTheContextAndTheContextChangesTheOutput() {
        UNet unet = unet();
        assertEquals(D, unet.getContextWidth());
        long layers = unet.getParameters().keys().stream().filter(k -> k.endsWith("encoder_kv_weight")).count();
        assertEquals(4, layers, "attention at 6x6: one encoder stage, the middle block, two decoder stages");
        NDArray x = UNetFixture.images(caller, SHAPE, 2);
        int[] mask = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        float[] a = forward(unet, x, caller.randomNormal(new Shape(2, L, D)), mask);
        float[] b = forward(unet, x, caller.randomNormal(new Shape(2, L, D)), mask);
        assertTrue(maxDifference(a, b) > 1e-3, "other token states, another prediction");
    }

    @Test
    void maskedPositionsDoNotChangeTheOutputAtAll() {
        UNet unet = unet();
        NDArray x = UNetFixture.images(caller, SHAPE, 2);
        NDArray states = caller.randomNormal(new Shape(2, L, D));
        int[] mask = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
        float[] a = forward(unet, x, states, mask);
        NDArray other = states.duplicate();
        other.set(new ai.djl.ndarray.index.NDIndex("0, 3:"), 50f);
        other.set(new ai.djl.ndarray.index.NDIndex("1, 1:"), -7f);
        assertArrayEquals(a, forward(unet, x, other, mask), 0f);
    }

    @Test
    void theEmptyContextGivesFiniteOutputsWhateverTheStates() {
        UNet unet = unet();
        NDArray x = UNetFixture.images(caller, SHAPE, 2);
        NDList nulls = ConditionKind.TOKEN_STATES.nullLike(new NDList(caller.randomNormal(new Shape(2, L, D)),
                caller.ones(new Shape(2, L), DataType.INT32)));
        float[] empty = forward(unet, x, nulls.get(0), nulls.get(1).toIntArray());
        for (float v : empty) {
            assertTrue(Float.isFinite(v));
        }
        float[] noise = forward(unet, x, caller.randomNormal(new Shape(2, L, D)).mul(1e3), new int[2 * L]);
        assertArrayEquals(empty, noise, 0f, "all masked: the states are never read");
    }

    @Test
    void gradientsReachEveryAttentionLayersContextProjectionAndTheStates() {
        UNet unet = unet();
        NDArray states = caller.randomNormal(new Shape(2, L, D));
        states.setRequiresGradient(true);
        List<Parameter> projections = new ArrayList<>();
        for (Pair<String, Parameter> p : unet.getParameters()) {
            if (p.getKey().contains("encoder_kv")) {
                projections.add(p.getValue());
                p.getValue().getArray().getGradient().muli(0);
            }
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = unet.forward(new ParameterStore(params, false), UNetFixture.images(caller, SHAPE, 2),
                    UNetFixture.timesteps(caller, 2), new NDList(states,
                            caller.create(new int[] {1, 1, 1, 1, 0, 1, 1, 0, 0, 0}, new Shape(2, L))), true);
            gc.backward(out.square().mean());
        }
        assertEquals(8, projections.size(), "weight and bias of four layers");
        for (Parameter p : projections) {
            assertTrue(p.getArray().getGradient().abs().max().getFloat() > 0, p.getName());
        }
        float[] g = states.getGradient().toFloatArray();
        assertTrue(Math.abs(g[0]) > 0 && Math.abs(g[(L + 1) * D]) > 0, "read tokens of both rows");
        for (int i = 4 * D; i < 5 * D; i++) {
            assertEquals(0f, g[i], "row 0's masked token");
        }
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
