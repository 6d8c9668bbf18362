package io.difflab.kit.clip;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.UserError;

import java.util.Map;

/**
 * A CLIP's sizes read from its parameter shapes, as OpenAI's {@code clip/model.py build_model}
 * reads them from a state dict: the context length from the text position embedding, the
 * vocabulary from the token embedding, the embedding size from the text projection, and the input
 * resolution from the image encoder: patch size × grid for a ViT, 32 × grid of the attention
 * pool for a ResNet (grid² + 1 positions, the extra one the class token or the pooled mean).
 *
 * @param inputResolution R
 * @param contextLength   L
 * @param vocabularySize  the number of token ids
 * @param embeddingSize   E
 */
public record ClipGeometry(int inputResolution, int contextLength, int vocabularySize, int embeddingSize) {

    /**
     * Reads the sizes from parameter shapes keyed by their names in OpenAI's CLIP.
     *
     * @throws UserError naming the first parameter a CLIP must have and this one lacks
     */
    public static ClipGeometry of(Map<String, Shape> shapes) {
        int context = (int) require(shapes, "positional_embedding").get(0);
        int vocabulary = (int) require(shapes, "token_embedding.weight").get(0);
        int embedding = (int) require(shapes, "text_projection").get(1);
        int resolution;
        if (shapes.containsKey("visual.attnpool.positional_embedding")) {
            resolution = 32 * grid(shapes.get("visual.attnpool.positional_embedding"));
        } else {
            Shape patches = require(shapes, "visual.conv1.weight");
            resolution = (int) patches.get(patches.dimension() - 1) * grid(require(shapes, "visual.positional_embedding"));
        }
        return new ClipGeometry(resolution, context, vocabulary, embedding);
    }

    private static int grid(Shape positions) {
        return (int) Math.round(Math.sqrt(positions.get(0) - 1));
    }

    private static Shape require(Map<String, Shape> shapes, String name) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new UserError("not a CLIP: it has no parameter " + name + " (OpenAI's CLIP names its parameters"
                    + " positional_embedding, token_embedding.weight, text_projection, visual.*)");
        }
        return s;
    }
}
