package io.difflab.kit.text;

import io.difflab.api.Config;
import io.difflab.api.Option;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import org.pf4j.Extension;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code clip-bpe} tokenizer: CLIP's byte-level BPE from a tokenizer.json given by path
 * (see {@link ClipBpeVocabulary}); context length 77 as in every released CLIP.
 */
@Extension
public class ClipBpeTokenizer implements Tokenizer {

    @Override
    public String name() {
        return "clip-bpe";
    }

    @Override
    public String description() {
        return "CLIP's byte-level BPE (Radford et al. 2021) from a tokenizer.json, via Hugging Face tokenizers";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.choice("vocabulary", null, List.of(),
                        "a CLIP tokenizer.json (tools/clip/bpe_to_tokenizer_json.py converts OpenAI's"
                                + " bpe_simple_vocab_16e6.txt.gz)"),
                Option.integer("context_length", ClipBpeVocabulary.CONTEXT_LENGTH, 3, 4096,
                        "ids per caption: start, text, end, padding"));
    }

    @Override
    public Vocabulary vocabulary(Config config, Supplier<? extends List<String>> captions) {
        if (config.getString("vocabulary").isBlank()) {
            throw new UserError(config.path() + ".vocabulary: the clip-bpe tokenizer needs a tokenizer.json");
        }
        int length = config.getInt("context_length");
        try {
            return ClipBpeVocabulary.load(Path.of(config.getString("vocabulary")), length);
        } catch (UserError e) {
            throw new UserError(config.path() + ".vocabulary: " + e.getMessage(), e);
        }
    }
}
