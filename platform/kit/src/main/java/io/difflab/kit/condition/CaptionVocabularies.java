package io.difflab.kit.condition;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.ModelContext;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The caption vocabulary a family's {@code model} section names with three keys: the tokenizer
 * ({@code word} or {@code clip-bpe}), its file, and the caption length L. A {@code word} tokenizer
 * without a file learns its vocabulary from the training split's captions (the same split, the same
 * vocabulary: a later run over the same dataset rebuilds it); {@code clip-bpe} needs a CLIP
 * tokenizer.json.
 */
public final class CaptionVocabularies {

    private CaptionVocabularies() {
    }

    /**
     * @param tokenizerKey the key naming the tokenizer
     * @param fileKey      the key naming its vocabulary file (blank: learn a word vocabulary)
     * @param lengthKey    the key holding L, token positions per caption
     * @throws UserError naming {@code fileKey} when clip-bpe has no tokenizer.json
     */
    public static Vocabulary of(ModelContext context, String tokenizerKey, String fileKey, String lengthKey) {
        Config model = context.model();
        String name = model.getString(tokenizerKey);
        String file = model.getString(fileKey);
        if (name.equals("clip-bpe") && file.isBlank()) {
            throw new UserError(model.path() + "." + fileKey + ": the clip-bpe tokenizer needs a CLIP tokenizer.json "
                    + "(tools/clip/bpe_to_tokenizer_json.py makes one)");
        }
        Tokenizer tokenizer = context.registry().get(Tokenizer.class, name);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("context_length", model.getInt(lengthKey));
        values.put("vocabulary", file);
        Config section = Config.of(model.path() + "." + tokenizerKey, tokenizer.options(), values);
        return tokenizer.vocabulary(section, () -> {
            List<String> captions = new ArrayList<>();
            context.trainingValues(ConditionFields.CAPTION).forEach(c -> captions.add(String.valueOf(c)));
            return captions;
        });
    }
}
