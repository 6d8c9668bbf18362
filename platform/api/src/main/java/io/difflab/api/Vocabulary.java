package io.difflab.api;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A tokenizer's vocabulary with its rules, made by a {@link Tokenizer}: captions to token ids at a
 * fixed context length L.
 *
 * <p>Rows follow CLIP's convention (Radford et al. 2021; open_clip alike): the start id, the
 * caption's ids, the end id, then the pad id 0 up to L. A caption of more than L − 2 ids keeps its
 * first L − 2 and the end id (CLIP's {@code truncate=True}), so every row holds its end id, at the
 * last position its mask marks. The mask is 1 from the start id through the end id and 0 on the
 * padding; it, not the id, tells padding apart (in CLIP's vocabulary id 0 is also the token "!").
 * See {@link TokenBatch} for the arrays.
 */
public interface Vocabulary extends AutoCloseable {

    /** The number of ids: every id is in [0, size). */
    int size();

    /** L: the length of every encoded row. */
    int contextLength();

    /** The id every row starts with. */
    int startId();

    /** The id that ends every caption's ids (CLIP pools its text features there). */
    int endId();

    /** The id after the end id, up to the context length. */
    default int padId() {
        return 0;
    }

    /** The ids of a caption's text alone: no start or end id, not truncated. */
    int[] textIds(String caption);

    /** One caption's row of L ids (see the class comment). */
    default int[] encode(String caption) {
        return encode(List.of(caption)).ids(0);
    }

    /** Captions as rows of ids and masks, in plain int arrays. */
    default TokenBatch encode(List<String> captions) {
        return TokenBatch.of(this, captions);
    }

    /** Captions as arrays on {@code manager}: ids int32 (N, L), then the mask int32 (N, L). */
    default NDList encode(NDManager manager, List<String> captions) {
        return encode(captions).toNDList(manager);
    }

    /**
     * Writes this vocabulary to {@code file}, so that the same tokenizer given this file as its
     * {@code vocabulary} option makes the same vocabulary.
     */
    void save(Path file) throws IOException;

    /** Releases native resources, if any; the vocabulary is unusable afterwards. */
    @Override
    default void close() {
    }
}
