package io.difflab.kit.nn;

import io.difflab.api.Config;
import io.difflab.api.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text encoders an estimator's {@code text_encoder} option can name, each made from the
 * vocabulary size, the context length and the estimator's section: {@code embedding-bag} (the
 * default, {@link EmbeddingBagEncoder}) and {@code transformer} ({@link TextTransformer}, GLIDE's, with
 * {@code text_layers} and {@code text_heads}). Every estimator built on {@link TextUNet} can use each.
 */
public final class TextEncoders {

    /** Makes one kind of encoder. */
    @FunctionalInterface
    public interface Factory {

        /**
         * @param vocabularySize the ids are in [0, vocabularySize)
         * @param contextLength  L, the ids per caption
         * @param config         the estimator's section, with {@link #OPTIONS}
         */
        TextEncoder build(int vocabularySize, int contextLength, Config config);
    }

    /** The default kind. */
    public static final String DEFAULT = "embedding-bag";
    /** The kit's {@link TextTransformer}, as GLIDE's text encoder. */
    public static final String TRANSFORMER = "transformer";

    private static final Map<String, Factory> FACTORIES = factories();

    /** The options every text encoder reads from the estimator's section. */
    public static final List<Option> OPTIONS = List.of(
            Option.choice("text_encoder", DEFAULT, List.copyOf(FACTORIES.keySet()),
                    "the text encoder trained with the network: token ids to token states and a pooled vector"),
            Option.integer("text_width", 64, 1, 4096, "D: the width of the token states and the pooled vector"),
            Option.integer("text_layers", 2, 1, 64, "transformer: its pre-LayerNorm layers"),
            Option.integer("text_heads", 4, 1, 64, "transformer: attention heads per layer, dividing text_width"));

    private TextEncoders() {
    }

    private static Map<String, Factory> factories() {
        Map<String, Factory> f = new LinkedHashMap<>();
        f.put(DEFAULT, (vocabularySize, contextLength, config) ->
                EmbeddingBagEncoder.of(vocabularySize, contextLength, config.getInt("text_width")));
        // GLIDE's text transformer (Nichol et al. 2021, sec. 2.3, 3.1): causal, pooled at the last position
        f.put(TRANSFORMER, (vocabularySize, contextLength, config) -> TextTransformer.builder()
                .setVocabularySize(vocabularySize).setContextLength(contextLength).setWidth(config.getInt("text_width"))
                .optLayers(config.getInt("text_layers")).optHeads(config.getInt("text_heads"))
                .optPooling(TextTransformer.Pooling.LAST).build());
        return f;
    }

    /** The kinds there are, by name. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The encoder {@code config}'s {@code text_encoder} names.
     *
     * @throws IllegalArgumentException naming the kinds there are, when it names none of them
     */
    public static TextEncoder build(int vocabularySize, int contextLength, Config config) {
        String name = config.getString("text_encoder");
        Factory factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("no text encoder named '" + name + "' (there are " + names() + ")");
        }
        return factory.build(vocabularySize, contextLength, config);
    }
}
