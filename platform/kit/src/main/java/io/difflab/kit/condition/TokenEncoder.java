package io.difflab.kit.condition;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.TokenBatch;
import io.difflab.api.Vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Captions (the dataset's {@code caption} field, or {@code sample.prompts}) as token ids and mask
 * through a {@link Vocabulary}: two (N, L) int32 arrays of {@link ConditionKind#TOKENS}. A
 * {@code null} or blank caption is ∅, the empty caption: every id 0 and the mask 0, as GLIDE's
 * tokenizer makes the empty caption (no ids at all, then padding; Nichol et al. 2021, sec. 3.2),
 * so a prompt "" samples the unconditional model. (A vocabulary would give "" its start and end
 * ids; those rows are a caption, not ∅.)
 */
public final class TokenEncoder implements ConditionEncoder {

    /** The conventional name of the caption entry. */
    public static final String CAPTION = "caption";

    private final String name;
    private final String field;
    private final Vocabulary vocabulary;

    /**
     * @param name       the entry's name in a batch
     * @param field      the raw field of strings it reads
     * @param vocabulary turns captions into ids
     */
    public TokenEncoder(String name, String field, Vocabulary vocabulary) {
        this.name = Objects.requireNonNull(name, "name");
        this.field = Objects.requireNonNull(field, "field");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    }

    /** The captions under {@value #CAPTION}. */
    public static TokenEncoder captions(Vocabulary vocabulary) {
        return new TokenEncoder(CAPTION, ConditionFields.CAPTION, vocabulary);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public ConditionKind kind() {
        return ConditionKind.TOKENS;
    }

    /** The vocabulary it encodes with. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** What a network consuming these tokens is told: ids and mask of shape (L), the vocabulary size. */
    public ConditionInput input() {
        Shape length = new Shape(vocabulary.contextLength());
        return new ConditionInput(name, ConditionKind.TOKENS, List.of(length, length), vocabulary.size());
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        int length = vocabulary.contextLength();
        List<String> captions = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v != null && !(v instanceof String)) {
                throw new IllegalArgumentException("condition '" + name + "' encodes captions (strings), got a "
                        + v.getClass().getSimpleName() + " in row " + i + ": " + v);
            }
            if (v != null && !((String) v).isBlank()) {
                captions.add((String) v);
                rows.add(i);
            }
        }
        int[] ids = new int[values.size() * length];
        int[] mask = new int[ids.length];
        if (!captions.isEmpty()) {
            TokenBatch encoded = vocabulary.encode(captions);
            for (int j = 0; j < rows.size(); j++) {
                System.arraycopy(encoded.ids(j), 0, ids, rows.get(j) * length, length);
                System.arraycopy(encoded.mask(j), 0, mask, rows.get(j) * length, length);
            }
        }
        return new TokenBatch(values.size(), length, ids, mask).toNDList(manager);
    }
}
