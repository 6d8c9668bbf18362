package io.difflab.plugins.sdg;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.Vocabulary;
import io.difflab.kit.condition.TokenEncoder;

import java.util.List;
import java.util.function.Function;

/**
 * The captions language guidance steers toward ({@code sample.prompts}) as token rows of the guiding
 * CLIP's own vocabulary ({@link ConditionKind#TOKENS}). The vocabulary is read when the first batch
 * is encoded, not when the model is assembled, so a spec can name a CLIP that an earlier run of the
 * same sweep is still to train.
 */
final class CaptionEncoder implements ConditionEncoder {

    private final Function<Device, Vocabulary> vocabulary;
    private TokenEncoder tokens;

    /** @param vocabulary reads the CLIP's vocabulary on the device of the first batch; called once */
    CaptionEncoder(Function<Device, Vocabulary> vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String name() {
        return SemanticScore.CAPTION;
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
    public synchronized NDList encode(List<?> values, NDManager manager) {
        if (tokens == null) {
            tokens = new TokenEncoder(SemanticScore.CAPTION, ConditionFields.CAPTION, vocabulary.apply(manager.getDevice()));
        }
        return tokens.encode(values, manager);
    }
}
