package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.kit.clip.LoadedClip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The captions CLIP guidance steers toward, as ĝ(c): the CLIP's text embedding of each caption
 * (its own tokenizer at its own context length), L2-normalised as glide-text2im's
 * {@code text_embeddings} does, (N, E) of {@link ConditionKind#EMBEDDING}. A null or blank caption
 * is ∅, a zero row: F = f̂·0 = 0, so that sample is not guided. The CLIP is loaded when the first
 * captions are encoded, on their device.
 */
final class ClipTextEmbedding implements ConditionEncoder {

    /** The entry's name in a batch's condition, beside the estimator's {@code caption}. */
    static final String NAME = "clip_caption";

    private final Function<ai.djl.Device, LoadedClip> clip;

    /** @param clip the CLIP on a device, loaded (once) when asked */
    ClipTextEmbedding(Function<ai.djl.Device, LoadedClip> clip) {
        this.clip = clip;
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
        return ConditionKind.EMBEDDING;
    }

    @Override
    public NDList encode(List<?> values, NDManager manager) {
        LoadedClip loaded = clip.apply(manager.getDevice());
        int e = loaded.model().embeddingSize();
        NDArray out = manager.zeros(new Shape(values.size(), e));
        List<String> captions = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v != null && !String.valueOf(v).isBlank()) {
                captions.add(String.valueOf(v));
                rows.add(i);
            }
        }
        if (captions.isEmpty()) {
            return new NDList(out);
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray features = loaded.captionFeatures(sub, captions);
            NDArray norm = features.norm(new int[] {1}, true).add(NoisedClipScore.NORM_EPSILON);
            NDArray unit = features.div(norm);
            for (int j = 0; j < rows.size(); j++) {
                out.set(new ai.djl.ndarray.index.NDIndex(rows.get(j)), unit.get(j));
            }
        }
        return new NDList(out);
    }
}
