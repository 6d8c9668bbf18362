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
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.difflab.kit.nn.UNetContextTest.SHAPE;
import static io.difflab.kit.nn.UNetContextTest.maxDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captions end to end into a U-Net that trains its text encoder with it (GLIDE, Nichol et al. 2021,
 * sec. 3.1): real captions through a word vocabulary and the token encoder, the embedding-bag text
 * encoder, context tokens in every attention layer and the pooled vector in the timestep embedding.
 */
class TextUNetTest {

    private static final List<String> CAPTIONS = List.of("two red circles", "a blue square left of a green star",
            "four yellow triangles");
    private static final int WIDTH = 12;

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();
    private final TokenEncoder tokens = TokenEncoder.captions(WordVocabulary.build(CAPTIONS, 1, 0, 10));

    @AfterEach
    void close() {
        caller.close();
        params.close();
    }

    private TextUNet network() {
        TextUNet net = TextUNet.of(UNetFixture.tiny(SHAPE), List.of(tokens.input()),
                c -> EmbeddingBagEncoder.of(c.cardinality(), 10, WIDTH));
        UNetFixture.randomizeZeroInitialised(net);
        Engine.getInstance().setRandomSeed(7);
        net.initialize(params, DataType.FLOAT32, SHAPE.batch(3), new Shape(3), new Shape(3, 10), new Shape(3, 10));
        return net;
    }

    private float[] forward(TextUNet net, NDArray x, List<String> captions) {
        return net.forward(new ParameterStore(params, false), x, UNetFixture.timesteps(caller, 3),
                tokens.encode(captions, caller), false).toFloatArray();
    }

    @Test
    void theCaptionChangesThePredictionAndTheEmptyCaptionIsFinite() {
        TextUNet net = network();
        assertEquals(WIDTH, net.getUNet().getContextWidth());
        NDArray x = UNetFixture.images(caller, SHAPE, 3);
        float[] a = forward(net, x, CAPTIONS);
        float[] b = forward(net, x, List.of(CAPTIONS.get(2), CAPTIONS.get(0), CAPTIONS.get(1)));
        float[] empty = forward(net, x, Arrays.asList(null, "", null));
        assertTrue(maxDifference(a, b) > 1e-3, "other captions, another prediction");
        assertTrue(maxDifference(a, empty) > 1e-3, "∅ differs from a caption");
        for (float v : empty) {
            assertTrue(Float.isFinite(v), "the empty caption gives no NaN");
        }
    }

    @Test
    void idsOnPaddingPositionsAreNeverRead() {
        TextUNet net = network();
        NDArray x = UNetFixture.images(caller, SHAPE, 3);
        NDList encoded = tokens.encode(CAPTIONS, caller);
        ParameterStore ps = new ParameterStore(params, false);
        NDArray t = UNetFixture.timesteps(caller, 3);
        float[] a = net.forward(ps, x, t, encoded, false).toFloatArray();
        NDArray ids = encoded.get(0).duplicate();
        NDArray mask = encoded.get(1);
        ids = ai.djl.ndarray.NDArrays.where(mask.eq(0), ids.onesLike().mul(5), ids);
        float[] b = net.forward(ps, x, t, new NDList(ids, mask), false).toFloatArray();
        assertArrayEquals(a, b, 0f);
    }

    @Test
    void gradientsReachTheTextEncoderTheContextProjectionsAndThePooledProjection() {
        TextUNet net = network();
        List<Pair<String, Parameter>> watched = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getKey().contains("caption_encoder") || p.getKey().contains("encoder_kv")
                    || p.getKey().contains("caption_pooled_projection")) {
                watched.add(p);
                p.getValue().getArray().getGradient().muli(0);
            }
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = net.forward(new ParameterStore(params, false), UNetFixture.images(caller, SHAPE, 3),
                    UNetFixture.timesteps(caller, 3), tokens.encode(CAPTIONS, caller), true);
            gc.backward(out.square().mean());
        }
        List<String> names = watched.stream().map(Pair::getKey).toList();
        assertEquals(2 + 8 + 2, watched.size(), "token and position embeddings, 4 attention layers, the projection: "
                + names);
        for (Pair<String, Parameter> p : watched) {
            assertTrue(p.getValue().getArray().getGradient().abs().max().getFloat() > 0, p.getKey());
        }
    }

    @Test
    void aTextUNetNeedsTokensAndEncodersThatFitThem() {
        ConditionInput label = ConditionInput.labels(3);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> TextUNet.of(UNetFixture.tiny(SHAPE), List.of(label), c -> null));
        assertTrue(none.getMessage().contains("none of its conditions"), none.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> TextUNet.of(UNetFixture.tiny(SHAPE), List.of(tokens.input()),
                        c -> EmbeddingBagEncoder.of(c.cardinality(), 77, WIDTH)));
        assertTrue(length.getMessage().contains("takes 77 ids"), length.getMessage());
        assertEquals(ConditionKind.TOKENS, tokens.input().kind());
    }
}
