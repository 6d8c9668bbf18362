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
 * The {@code word} tokenizer: a {@link WordVocabulary} learnt from the dataset's captions, or read
 * from the file a previous run saved.
 */
@Extension
public class WordTokenizer implements Tokenizer {

    /** Long enough for the shapes-captions grammar and class-name templates. */
    public static final int DEFAULT_CONTEXT_LENGTH = 32;

    @Override
    public String name() {
        return "word";
    }

    @Override
    public String description() {
        return "word-level vocabulary learnt from the dataset's captions (lower case, <unk>, <start>, <end>)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.integer("context_length", DEFAULT_CONTEXT_LENGTH, 3, 4096,
                        "ids per caption: start, words, end, padding"),
                Option.choice("vocabulary", "", List.of(),
                        "a vocabulary file a run saved; empty: learn one from the dataset's captions"),
                Option.integer("min_count", 1, 1, Integer.MAX_VALUE, "keep words seen at least this often"),
                Option.integer("max_words", 0, 0, Integer.MAX_VALUE, "keep the most frequent words only; 0: all"));
    }

    @Override
    public Vocabulary vocabulary(Config config, Supplier<? extends List<String>> captions) {
        int length = config.getInt("context_length");
        String file = config.getString("vocabulary");
        if (!file.isBlank()) {
            try {
                return WordVocabulary.load(Path.of(file), length);
            } catch (UserError e) {
                throw new UserError(config.path() + ".vocabulary: " + e.getMessage(), e);
            }
        }
        List<String> texts = captions.get();
        if (texts == null || texts.isEmpty()) {
            throw new UserError(config.path() + ": the word tokenizer learns its vocabulary from the dataset's"
                    + " captions, and this dataset has none; name a vocabulary file in " + config.path()
                    + ".vocabulary or use a captioned dataset");
        }
        return WordVocabulary.build(texts, config.getInt("min_count"), config.getInt("max_words"), length);
    }
}
