package io.difflab.kit.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code text-unet} estimator built from a spec section, as a model family asks for it. */
class TextUNetEstimatorTest {

    private static final ImageShape SHAPE = new ImageShape(3, 16, 16);

    private final TextUNetEstimator estimator = new TextUNetEstimator();
    private final NDManager manager = NDManager.newBaseManager();
    private final TokenEncoder captions = TokenEncoder.captions(WordVocabulary.build(
            List.of("a red circle", "three blue squares"), 1, 0, 8));

    @AfterEach
    void close() {
        manager.close();
    }

    private Config config(Map<String, Object> values) {
        return Config.of("estimator", estimator.options(), values);
    }

    private static Map<String, Object> tiny(Map<String, Object> more) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("base_channels", 16, "channel_mult", List.of(1, 2),
                "num_res_blocks", 1, "attention_resolutions", List.of(8), "num_heads", 2, "text_width", 24));
        values.putAll(more);
        return values;
    }

    @Test
    void itHasTheUNetsOptionsAndTheTextEncodersWithTheirDefaults() {
        assertEquals("text-unet", estimator.name());
        List<String> keys = estimator.options().stream().map(Option::key).toList();
        assertTrue(keys.containsAll(new UNetEstimator().options().stream().map(Option::key).toList()));
        assertTrue(keys.containsAll(List.of("text_encoder", "text_width", "embedding_tokens")), keys.toString());
        Config defaults = config(Map.of());
        assertEquals(TextEncoders.DEFAULT, defaults.getString("text_encoder"));
        assertEquals(0, defaults.getInt("embedding_tokens"));
    }

    @Test
    void aCaptionAndAnEmbeddingWithFourTokensBuildAndRun() {
        ConditionInput z = new ConditionInput("image_embedding", ConditionKind.EMBEDDING, List.of(new Shape(10)), 0);
        EstimatorSpec spec = new EstimatorSpec(SHAPE, List.of(captions.input(), z), true);
        EstimatorNetwork network = estimator.build(config(tiny(Map.of("embedding_tokens", 4))), spec);
        TextUNet net = assertInstanceOf(TextUNet.class, network.block());
        assertEquals(24, net.getUNet().getContextWidth());
        assertEquals(24, net.getTextEncoder(TokenEncoder.CAPTION).width());
        assertTrue(net.getUNet().getParameters().keys().stream().anyMatch(k -> k.contains("image_embedding_context")));
        net.initialize(manager, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2, 8), new Shape(2, 8),
                new Shape(2, 10));
        NDList in = new NDList(manager.randomNormal(SHAPE.batch(2)), manager.create(new float[] {5, 500}));
        in.addAll(captions.encode(java.util.Arrays.asList("a red circle", null), manager));
        in.add(manager.randomNormal(new Shape(2, 10)));
        NDList out = net.forward(new ParameterStore(manager, false), in, false);
        assertEquals(new Shape(2, 6, 16, 16), out.singletonOrThrow().getShape(), "ε and v for 3 channels");
    }

    @Test
    void theTextTransformerIsGlidesEncoderPooledAtTheLastPosition() {
        EstimatorSpec spec = new EstimatorSpec(SHAPE, List.of(captions.input()), true);
        EstimatorNetwork network = estimator.build(config(tiny(Map.of("text_encoder", TextEncoders.TRANSFORMER,
                "text_layers", 1, "text_heads", 3))), spec);
        TextUNet net = assertInstanceOf(TextUNet.class, network.block());
        TextTransformer text = assertInstanceOf(TextTransformer.class, net.getTextEncoder(TokenEncoder.CAPTION));
        assertEquals(TextTransformer.Pooling.LAST, text.pooling());
        assertEquals(24, text.width());
        net.initialize(manager, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2, 8), new Shape(2, 8));
        NDList in = new NDList(manager.randomNormal(SHAPE.batch(2)), manager.create(new float[] {5, 500}));
        in.addAll(captions.encode(java.util.Arrays.asList("three blue squares", null), manager));
        NDList out = net.forward(new ParameterStore(manager, false), in, false);
        assertEquals(new Shape(2, 6, 16, 16), out.singletonOrThrow().getShape());
        assertTrue(Float.isFinite(out.singletonOrThrow().sum().getFloat()), "the empty caption (∅) stays finite");
        UserError heads = assertThrows(UserError.class, () -> estimator.build(config(tiny(Map.of("text_encoder",
                TextEncoders.TRANSFORMER, "text_heads", 5))), spec));
        assertTrue(heads.getMessage().contains("5 heads do not divide the width 24"), heads.getMessage());
    }

    @Test
    void withoutTokensItPointsToTheUNetAndBadSettingsNameTheirKey() {
        UserError none = assertThrows(UserError.class, () -> estimator.build(config(tiny(Map.of())),
                new EstimatorSpec(SHAPE, 10, false)));
        assertTrue(none.getMessage().startsWith("estimator.name: text-unet reads captions' token ids"),
                none.getMessage());
        assertTrue(none.getMessage().contains("use estimator unet"), none.getMessage());
        UserError heads = assertThrows(UserError.class, () -> estimator.build(config(tiny(Map.of("num_heads", 3))),
                new EstimatorSpec(SHAPE, List.of(captions.input()), false)));
        assertTrue(heads.getMessage().startsWith("estimator.num_heads: 3 does not divide"), heads.getMessage());
    }
}
