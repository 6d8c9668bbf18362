package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * unCLIP's choice among the prior's samples (Ramesh et al. 2022, sec. 2.2): draw k candidate image
 * embeddings per caption and keep the one with the larger dot product z_i · z_t with the caption's
 * CLIP text embedding.
 */
final class CandidateSelection {

    private CandidateSelection() {
    }

    /**
     * The candidate of each row with the largest z_i · z_t.
     *
     * @param candidates (N, k, E) the k candidates of each of N captions
     * @param text       (N, E) the captions' text embeddings z_t
     * @return (N, E) the kept candidates
     */
    static NDArray select(NDArray candidates, NDArray text) {
        NDArray best = scores(candidates, text).argMax(1).toType(DataType.INT64, false);
        long n = candidates.getShape().get(0);
        long k = candidates.getShape().get(1);
        NDArray rows = candidates.getManager().arange(0, n).toType(DataType.INT64, false).mul(k).add(best);
        NDArray flat = candidates.reshape(n * k, candidates.getShape().get(2));
        return flat.get(new NDIndex("{}", rows));
    }

    /** The dot products (N, k) of each candidate with its caption's z_t. */
    static NDArray scores(NDArray candidates, NDArray text) {
        long n = text.getShape().get(0);
        return candidates.mul(text.reshape(n, 1, text.getShape().get(1))).sum(new int[] {2});
    }
}
