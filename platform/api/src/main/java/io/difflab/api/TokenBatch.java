package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * Encoded captions: N rows of L token ids and their attention masks, row-major, in the padding
 * convention of {@link Vocabulary} (start, text ids, end, then pad ids with mask 0).
 *
 * @param rows          N
 * @param contextLength L
 * @param ids           N·L token ids
 * @param mask          N·L mask values: 1 from start through end, 0 on the padding
 */
public record TokenBatch(int rows, int contextLength, int[] ids, int[] mask) {

    public TokenBatch {
        if (ids.length != rows * contextLength || mask.length != ids.length) {
            throw new IllegalArgumentException("ids and mask must hold " + rows + " x " + contextLength + " values");
        }
    }

    /** Encodes {@code captions} with {@code vocabulary}: truncated to L − 2 text ids, end id kept. */
    public static TokenBatch of(Vocabulary vocabulary, List<String> captions) {
        int length = vocabulary.contextLength();
        if (length < 2) {
            throw new IllegalArgumentException("a context length must leave room for the start and end ids: " + length);
        }
        int[] ids = new int[captions.size() * length];
        int[] mask = new int[ids.length];
        Arrays.fill(ids, vocabulary.padId());
        for (int r = 0; r < captions.size(); r++) {
            int[] text = vocabulary.textIds(captions.get(r));
            int kept = Math.min(text.length, length - 2);
            int at = r * length;
            ids[at] = vocabulary.startId();
            System.arraycopy(text, 0, ids, at + 1, kept);
            ids[at + kept + 1] = vocabulary.endId();
            Arrays.fill(mask, at, at + kept + 2, 1);
        }
        return new TokenBatch(captions.size(), length, ids, mask);
    }

    /** Row {@code r}'s ids. */
    public int[] ids(int r) {
        return Arrays.copyOfRange(ids, r * contextLength, (r + 1) * contextLength);
    }

    /** Row {@code r}'s mask. */
    public int[] mask(int r) {
        return Arrays.copyOfRange(mask, r * contextLength, (r + 1) * contextLength);
    }

    /** How many positions of row {@code r} the mask marks: start, text ids and end. */
    public int length(int r) {
        int n = 0;
        for (int i = r * contextLength; i < (r + 1) * contextLength; i++) {
            n += mask[i];
        }
        return n;
    }

    /** The ids as an int32 array of shape (N, L) on {@code manager}. */
    public NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(rows, contextLength));
    }

    /** The mask as an int32 array of shape (N, L) on {@code manager}. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(rows, contextLength));
    }

    /** Ids, then mask, on {@code manager}. */
    public NDList toNDList(NDManager manager) {
        return new NDList(idsArray(manager), maskArray(manager));
    }
}
