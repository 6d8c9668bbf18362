package io.difflab.plugins.glide;

import io.difflab.api.ModelContext;
import io.difflab.api.Option;
import io.difflab.api.Vocabulary;
import io.difflab.kit.condition.CaptionVocabularies;

import java.util.List;

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

    /** The vocabulary the model section names at L = {@code text_length} ({@link CaptionVocabularies}). */
    static Vocabulary of(ModelContext context) {
        return CaptionVocabularies.of(context, TOKENIZER.key(), TOKENIZER_VOCABULARY.key(), TEXT_LENGTH.key());
    }
}
