package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.difflab.kit.nn.UNetContextTest.D;
import static io.difflab.kit.nn.UNetContextTest.L;
import static io.difflab.kit.nn.UNetContextTest.SHAPE;
import static io.difflab.kit.nn.UNetContextTest.STATES;
import static io.difflab.kit.nn.UNetContextTest.maxDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * unCLIP's decoder conditioning (Ramesh et al. 2022, sec. 2.1): the CLIP image embedding z_i
 * "projected and added to the existing timestep embedding" and "projected into four extra tokens
 * of context that are concatenated to the sequence of outputs from the GLIDE text encoder".
 */
class UNetEmbeddingTokensTest {

    private static final int E = 6;
    private static final ConditionInput IMAGE_EMBEDDING = new ConditionInput("image_embedding",
            ConditionKind.EMBEDDING, List.of(new Shape(E)), 0);

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();

    @AfterEach
    void close() {
        caller.close();
        params.close();
    }

    private UNetBuilder decoder() {
        return UNetFixture.tiny(SHAPE).optConditions(List.of(STATES, IMAGE_EMBEDDING))
                .optContextTokens(IMAGE_EMBEDDING.name(), 4);
    }

    @Test
    void theEmbeddingAddsFourReadTokensAfterTheCaptionsStates() {
        UNetBuilder b = decoder();
        Map<String, Block> children = new LinkedHashMap<>();
        ConditionHooks hooks = new ConditionHooks(b, (name, block) -> {
            children.put(name, block);
            return block;
        });
        assertEquals(List.of("image_embedding_projection", "image_embedding_context"), List.copyOf(children.keySet()));
        Engine.getInstance().setRandomSeed(5);
        hooks.initialize(params, DataType.FLOAT32, 2);
        NDArray states = caller.randomNormal(new Shape(2, L, D));
        NDArray mask = caller.zeros(new Shape(2, L), DataType.INT32); // both captions ∅
        NDArray z = caller.randomNormal(new Shape(2, E));
        ContextTokens context = hooks.context(new ParameterStore(params, false), new NDList(states, mask, z), false);
        assertEquals(new Shape(2, L + 4, D), context.states().getShape());
        float[] bias = context.bias().toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < L + 4; l++) {
                assertEquals(l < L ? ContextTokens.MASKED : 0f, bias[i * (L + 4) + l], "token " + l);
            }
        }
        // the four tokens are the projection W·z_i + b, reshaped to (4, D)
        NDArray w = children.get("image_embedding_context").getParameters().get("weight").getArray();
        NDArray bb = children.get("image_embedding_context").getParameters().get("bias").getArray();
        NDArray expected = z.matMul(w.transpose()).add(bb).reshape(2, 4, D);
        assertArrayEquals(expected.toFloatArray(), context.states().get(":, " + L + ":").toFloatArray(), 1e-5f);
    }

    @Test
    void theEmbeddingReachesTheOutputByEachPathAndByNoOther() {
        UNet unet = decoder().build();
        UNetFixture.randomizeZeroInitialised(unet);
        Engine.getInstance().setRandomSeed(5);
        unet.initialize(params, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2, L, D), new Shape(2, L),
                new Shape(2, E));
        NDArray x = UNetFixture.images(caller, SHAPE, 2);
        NDArray states = caller.randomNormal(new Shape(2, L, D));
        NDArray mask = caller.ones(new Shape(2, L), DataType.INT32);
        NDArray z1 = caller.randomNormal(new Shape(2, E));
        NDArray z2 = caller.randomNormal(new Shape(2, E));
        assertTrue(change(unet, x, states, mask, z1, z2) > 1e-3, "both paths");
        zero(unet, "image_embedding_projection");
        assertTrue(change(unet, x, states, mask, z1, z2) > 1e-3, "through the context tokens alone");
        zero(unet, "image_embedding_context");
        assertEquals(0.0, change(unet, x, states, mask, z1, z2), "no third path");
    }

    @Test
    void gradientsReachBothProjectionsOfTheEmbedding() {
        UNet unet = decoder().build();
        UNetFixture.randomizeZeroInitialised(unet);
        Engine.getInstance().setRandomSeed(5);
        unet.initialize(params, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2, L, D), new Shape(2, L),
                new Shape(2, E));
        List<Pair<String, Parameter>> projections = unet.getParameters().stream()
                .filter(p -> p.getKey().contains("image_embedding")).toList();
        projections.forEach(p -> p.getValue().getArray().getGradient().muli(0));
        try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = unet.forward(new ParameterStore(params, false), UNetFixture.images(caller, SHAPE, 2),
                    UNetFixture.timesteps(caller, 2), new NDList(caller.randomNormal(new Shape(2, L, D)),
                            caller.zeros(new Shape(2, L), DataType.INT32), caller.randomNormal(new Shape(2, E))), true);
            gc.backward(out.square().mean());
        }
        assertEquals(4, projections.size(), "weight and bias of the projection and of the tokens");
        for (Pair<String, Parameter> p : projections) {
            assertTrue(p.getValue().getArray().getGradient().abs().max().getFloat() > 0, p.getKey());
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirReason() {
        IllegalArgumentException notEmbedding = assertThrows(IllegalArgumentException.class,
                () -> UNetFixture.tiny(SHAPE).optConditions(List.of(STATES)).optContextTokens("caption", 4).build());
        assertTrue(notEmbedding.getMessage().contains("not an embedding condition"), notEmbedding.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> decoder().optContextWidth(D + 1).build());
        assertTrue(width.getMessage().contains("must agree"), width.getMessage());
        IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
                () -> UNetFixture.tiny(SHAPE).optConditions(List.of(new ConditionInput("caption",
                        ConditionKind.TOKENS, List.of(new Shape(L), new Shape(L)), 100))).build());
        assertTrue(tokens.getMessage().contains("text-unet"), tokens.getMessage());
        // without token states, the tokens are as wide as the timestep embedding
        assertEquals(64, UNetFixture.tiny(SHAPE).optConditions(List.of(IMAGE_EMBEDDING))
                .optContextTokens(IMAGE_EMBEDDING.name(), 4).build().getContextWidth());
    }

    private double change(UNet unet, NDArray x, NDArray states, NDArray mask, NDArray z1, NDArray z2) {
        ParameterStore ps = new ParameterStore(params, false);
        NDArray t = UNetFixture.timesteps(caller, 2);
        float[] a = unet.forward(ps, x, t, new NDList(states, mask, z1), false).toFloatArray();
        float[] b = unet.forward(ps, x, t, new NDList(states, mask, z2), false).toFloatArray();
        return maxDifference(a, b);
    }

    private static void zero(UNet unet, String block) {
        for (Pair<String, Parameter> p : unet.getParameters()) {
            if (p.getKey().contains(block)) {
                p.getValue().getArray().muli(0);
            }
        }
    }
}
