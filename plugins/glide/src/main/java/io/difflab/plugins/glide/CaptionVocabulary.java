package io.difflab.plugins.glide;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.ModelContext;
import io.difflab.api.Option;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer keys of a GLIDE's {@code model} section and the vocabulary they make. GLIDE reads
 * captions with a BPE vocabulary at 128 tokens (Nichol et al. 2021, sec. 3.1); on shapes-captions a
 * word vocabulary learnt from the training captions covers every caption, and the CLIP BPE can be
 * named instead with its tokenizer.json.
 */
final class CaptionVocabulary {

    static final Option TOKENIZER = Option.choice("tokenizer", "word", List.of("word", "clip-bpe"),
            "how captions become tokens: word (a vocabulary learnt from the training captions) or clip-bpe");
    static final Option TOKENIZER_VOCABULARY = Option.choice("tokenizer_vocabulary", "", List.of(),
            "word: a vocabulary file (empty: learn it from the training captions); clip-bpe: a CLIP tokenizer.json");
    static final Option TEXT_LENGTH = Option.integer("text_length", 20, 3, 4096,
            "L: token positions per caption, start and end included (GLIDE: 128)");

    private CaptionVocabulary() {
    }

    /**
     * The vocabulary the model section names at L = {@code text_length}: from its file, or for
     * {@code word} without one, learnt from the training split's captions (the same split, the same
     * vocabulary: a later run over the same dataset rebuilds it).
     */
    static Vocabulary of(ModelContext context) {
        Config model = context.model();
        String name = model.getString(TOKENIZER.key());
        String file = model.getString(TOKENIZER_VOCABULARY.key());
        if (name.equals("clip-bpe") && file.isBlank()) {
            throw new UserError(model.path() + "." + TOKENIZER_VOCABULARY.key() + ": the clip-bpe tokenizer needs a "
                    + "CLIP tokenizer.json (tools/clip/bpe_to_tokenizer_json.py makes one)");
        }
        Tokenizer tokenizer = context.registry().get(Tokenizer.class, name);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("context_length", model.getInt(TEXT_LENGTH.key()));
        values.put("vocabulary", file);
        Config section = Config.of(model.path() + "." + TOKENIZER.key(), tokenizer.options(), values);
        return tokenizer.vocabulary(section, () -> {
            List<String> captions = new ArrayList<>();
            context.trainingValues(ConditionFields.CAPTION).forEach(c -> captions.add(String.valueOf(c)));
            return captions;
        });
    }
}
