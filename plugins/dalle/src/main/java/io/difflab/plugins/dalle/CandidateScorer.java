package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * Scores how well each generated image matches the caption it was drawn for; DALL-E draws N
 * candidates per caption and keeps the best by such a score (Ramesh et al. 2021, sec. 2.5, with a
 * pretrained contrastive model: CLIP). The seam where any CLIP plugs in.
 */
public interface CandidateScorer extends AutoCloseable {

    /**
     * One score per image, higher is better.
     *
     * @param images   (n, C, H, W) in [−1, 1]
     * @param captions the n captions they were drawn for
     * @return (n) float32
     */
    NDArray score(NDArray images, List<String> captions);

    /** What scores, for logs and tags. */
    String describe();

    @Override
    default void close() {
    }
}
