package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.Vocabulary;

import java.util.ArrayList;
import java.util.List;

/**
 * Captions as {@link ConditionKind#TOKENS}: ids (N, L_t) and mask (N, L_t) int32 from the model's
 * vocabulary (start, words, end, then padding with mask 0); a {@code null} caption is ∅, all padding.
 */
final class CaptionTokens implements ConditionEncoder {

    /** The entry's name in a batch. */
    static final String NAME = "caption";

    private final Vocabulary vocabulary;

    CaptionTokens(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String field() {
        return ConditionFields.CAPTION;
    }

    @Override
    public ConditionKind kind() {
        return ConditionKind.TOKENS;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        List<String> captions = new ArrayList<>(values.size());
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            captions.add(values.get(i) == null ? "" : values.get(i).toString());
            if (values.get(i) == null) {
                empty.add(i);
            }
        }
        NDList encoded = vocabulary.encode(manager, captions);
        if (!empty.isEmpty()) {
            NDList nulls = ConditionKind.TOKENS.nullLike(encoded);
            for (int row : empty) {
                for (int a = 0; a < encoded.size(); a++) {
                    encoded.get(a).set(new ai.djl.ndarray.index.NDIndex("{}", row), nulls.get(a).get(row));
                }
            }
        }
        return encoded;
    }

    /** The vocabulary it encodes with. */
    Vocabulary vocabulary() {
        return vocabulary;
    }
}
