package io.difflab.plugins.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.TokenBatch;
import io.difflab.api.Vocabulary;

import java.util.ArrayList;
import java.util.List;

/**
 * The dataset's captions as token ids and mask, (N, L) int32 each ({@link ConditionKind#TOKENS}),
 * through the CLIP's vocabulary; a null caption is ∅ (every id 0, mask 0).
 */
final class CaptionTokens implements ConditionEncoder {

    /** The entry name of the captions in a training batch. */
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
        int length = vocabulary.contextLength();
        List<String> captions = new ArrayList<>();
        for (Object v : values) {
            captions.add(v == null ? "" : v.toString());
        }
        TokenBatch encoded = vocabulary.encode(captions);
        int[] ids = encoded.ids().clone();
        int[] mask = encoded.mask().clone();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                java.util.Arrays.fill(ids, i * length, (i + 1) * length, 0);
                java.util.Arrays.fill(mask, i * length, (i + 1) * length, 0);
            }
        }
        return new TokenBatch(values.size(), length, ids, mask).toNDList(manager);
    }
}
