package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.List;
import java.util.function.Supplier;

/**
 * Extension point: a kind of tokenizer (word-level, CLIP's byte-level BPE, ...), selected by
 * {@code tokenizer.name}. It makes the {@link Vocabulary} that turns captions into token ids and
 * attention masks at a fixed context length.
 */
public interface Tokenizer extends ExtensionPoint, Named {

    /**
     * The vocabulary a spec section describes: loaded from the file its options name, or, for a
     * tokenizer that learns one, built from the dataset's captions. A vocabulary built here is
     * saved with {@link Vocabulary#save} beside the model, so that the trained model keeps it.
     *
     * @param config   the validated {@code tokenizer} section (this extension's {@link #options()})
     * @param captions the training captions; asked for only when the vocabulary is built from them
     * @throws UserError when a vocabulary file is missing or unreadable, or there is nothing to build from
     */
    Vocabulary vocabulary(Config config, Supplier<? extends List<String>> captions);
}
