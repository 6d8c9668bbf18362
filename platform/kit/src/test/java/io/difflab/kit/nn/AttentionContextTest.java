package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An attention layer that appends context tokens to its keys and values (GLIDE's encoder_kv). */
class AttentionContextTest {

    private static final int C = 4;
    private static final int D = 5;
    private static final int L = 3;
    private static final Shape X = new Shape(1, C, 2, 2);

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    private AttentionBlock block() {
        AttentionBlock block = AttentionBlock.builder().setChannels(C).optNumHeads(2).optNormGroups(2)
                .optContextChannels(D).build();
        UNetFixture.randomizeZeroInitialised(block);
        Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, DataType.FLOAT32, X);
        return block;
    }

    private float[] forward(AttentionBlock block, float[] x, float[][] states, int[] mask) {
        NDArray in = manager.create(x, X);
        ContextTokens context = states == null ? null : context(states, mask);
        return block.forward(ps, in, null, context, false).toFloatArray();
    }

    private ContextTokens context(float[][] states, int[] mask) {
        float[] flat = new float[states.length * D];
        for (int l = 0; l < states.length; l++) {
            System.arraycopy(states[l], 0, flat, l * D, D);
        }
        return ContextTokens.of(manager.create(flat, new Shape(1, states.length, D)),
                manager.create(mask, new Shape(1, mask.length)));
    }

    private float[][] states(float scale) {
        float[] r = manager.randomNormal(new Shape(L, D)).toFloatArray();
        float[][] s = new float[L][D];
        for (int l = 0; l < L; l++) {
            for (int d = 0; d < D; d++) {
                s[l][d] = scale * r[l * D + d];
            }
        }
        return s;
    }

    @Test
    void contextTokensJoinEveryHeadsKeysAndValuesAsComputedByHand() {
        AttentionBlock block = block();
        float[] x = manager.randomNormal(X).toFloatArray();
        float[][] states = states(1);
        int[] mask = {1, 0, 1};
        float[] expected = new AttentionByHand(block, C, 2, 2).output(x, states, mask);
        assertArrayEquals(expected, forward(block, x, states, mask), 1e-4f);
        float[] imageAlone = new AttentionByHand(block, C, 2, 2).output(x, null, null);
        assertTrue(maxDifference(imageAlone, expected) > 1e-3, "the context changes the output");
    }

    @Test
    void maskedTokensCountForNothingWhateverTheirStates() {
        AttentionBlock block = block();
        float[] x = manager.randomNormal(X).toFloatArray();
        float[][] states = states(1);
        int[] mask = {1, 0, 1};
        float[] out = forward(block, x, states, mask);
        states[1] = new float[] {1e4f, -3e3f, Float.NaN, 7f, Float.POSITIVE_INFINITY};
        assertArrayEquals(out, forward(block, x, states, mask), 0f, "the masked token's state is never read");
    }

    @Test
    void anEmptyContextReadsTheImageAloneWithoutNaN() {
        AttentionBlock block = block();
        float[] x = manager.randomNormal(X).toFloatArray();
        float[] empty = forward(block, x, states(100), new int[] {0, 0, 0});
        for (float v : empty) {
            assertTrue(Float.isFinite(v), "finite");
        }
        assertArrayEquals(forward(block, x, null, null), empty, 1e-6f);
    }

    @Test
    void theOrderOfTheContextTokensDoesNotMatter() {
        AttentionBlock block = block();
        float[] x = manager.randomNormal(X).toFloatArray();
        float[][] states = states(1);
        float[] out = forward(block, x, states, new int[] {1, 1, 0});
        float[][] permuted = {states[2], states[0], states[1]};
        assertArrayEquals(out, forward(block, x, permuted, new int[] {0, 1, 1}), 1e-6f);
    }

    @Test
    void gradientsReachTheProjectionAndTheStatesOfReadTokensOnly() {
        AttentionBlock block = block();
        NDArray x = manager.randomNormal(X);
        NDArray states = manager.randomNormal(new Shape(1, L, D));
        states.setRequiresGradient(true);
        NDArray weight = block.getParameters().get("04encoder_kv_weight").getArray();
        weight.getGradient().muli(0);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ContextTokens context = ContextTokens.of(states, manager.create(new int[] {1, 1, 0}, new Shape(1, L)));
            NDArray out = block.forward(ps, x, null, context, true);
            gc.backward(out.square().sum());
        }
        assertTrue(weight.getGradient().abs().max().getFloat() > 0, "encoder_kv learns");
        float[] g = states.getGradient().toFloatArray();
        for (int d = 0; d < D; d++) {
            assertTrue(g[d] != 0 && g[D + d] != 0, "read tokens get gradients");
            assertEquals(0f, g[2 * D + d], "the masked token gets none");
        }
    }

    @Test
    void aLayerWithoutContextChannelsHasNoProjectionAndRefusesContext() {
        AttentionBlock plain = AttentionBlock.builder().setChannels(C).optNumHeads(2).optNormGroups(2).build();
        plain.initialize(manager, DataType.FLOAT32, X);
        assertEquals(0, plain.getContextChannels());
        assertTrue(plain.getParameters().keys().stream().noneMatch(k -> k.contains("encoder_kv")));
        ContextTokens context = context(states(1), new int[] {1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.forward(ps, manager.randomNormal(X), null, context, false));
        assertTrue(e.getMessage().contains("without context channels"), e.getMessage());
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
