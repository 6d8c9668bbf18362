package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Vocabulary;

import java.util.List;

/**
 * A CLIP loaded by reference ({@link ClipReference}) with the vocabulary its text encoder reads:
 * what CLIP guidance, CLIP score and re-ranking need to encode images and captions. Owns what it
 * loaded; close it when done.
 *
 * @param model      the encoders
 * @param vocabulary captions to token rows at the model's context length
 * @param source     where it came from, for messages and run tags
 * @param resources  closed with it (the manager of the trained weights, a TorchScript module)
 */
public record LoadedClip(ClipModel model, Vocabulary vocabulary, String source, List<AutoCloseable> resources)
        implements AutoCloseable {

    public LoadedClip {
        resources = List.copyOf(resources);
    }

    /** Text features (N, E) of {@code captions}, their token rows made on {@code manager}. */
    public NDArray captionFeatures(NDManager manager, List<String> captions) {
        NDList tokens = vocabulary.encode(manager, captions);
        return model.encodeText(tokens.get(0), tokens.get(1));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot release " + source + ": " + e.getMessage(), e);
                }
            }
        }
        vocabulary.close();
        if (failure != null) {
            throw failure;
        }
    }
}
