package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The per-sample similarities of semantic diffusion guidance on arrays, differentiable in their
 * first argument (Liu et al. 2021; the survey's eqs. 8-10). Every result is (N).
 */
public final class SemanticMath {

    private SemanticMath() {
    }

    /** cos(a_i, b_i) per row of (N, E) features: the language and image semantic scores (eq. 8). */
    public static NDArray cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {1});
        return dot.div(a.norm(new int[] {1}).mul(b.norm(new int[] {1})));
    }

    /**
     * −Σ_j ‖F_j − F'_j‖₂ / (C_j H_j W_j) per sample over feature maps (N, C_j, H_j, W_j): the image
     * structure score (the survey's eq. 9), the L2 norm over each sample's whole map.
     */
    public static NDArray structure(NDList maps, NDList references) {
        check(maps, references);
        NDArray total = null;
        for (int j = 0; j < maps.size(); j++) {
            NDArray f = maps.get(j);
            long n = f.getShape().get(0);
            long size = f.getShape().size() / n; // C_j · H_j · W_j
            NDArray distance = f.sub(references.get(j)).reshape(n, size).norm(new int[] {1}).div(size);
            total = total == null ? distance : total.add(distance);
        }
        return total.neg();
    }

    /**
     * −Σ_j ‖G_j − G'_j‖²_F / (4 C_j² (H_j W_j)²) per sample, G_j the Gram matrix of map j: the image
     * style score (the survey's eq. 10), each map's term normalised as Gatys et al. 2016 (eq. 4) do.
     * Unnormalised, a Gram entry sums H_j·W_j products and the squared norm C_j² of them, so the score
     * reaches 1e8 on 16×16 maps of 64 channels and no guidance scale keeps the samples images.
     */
    public static NDArray style(NDList maps, NDList references) {
        check(maps, references);
        NDArray total = null;
        for (int j = 0; j < maps.size(); j++) {
            Shape shape = maps.get(j).getShape();
            double c = shape.get(1);
            double m = shape.size() / shape.get(0) / c; // H_j · W_j
            NDArray d = gram(maps.get(j)).sub(gram(references.get(j)));
            long n = d.getShape().get(0);
            NDArray squared = d.square().reshape(n, -1).sum(new int[] {1}).div(4 * c * c * m * m);
            total = total == null ? squared : total.add(squared);
        }
        return total.neg();
    }

    /** G = F Fᵀ (N, C, C) of feature maps (N, C, H, W) read as F (N, C, H·W) (Gatys et al. 2016). */
    public static NDArray gram(NDArray map) {
        long n = map.getShape().get(0);
        long c = map.getShape().get(1);
        NDArray f = map.reshape(n, c, -1);
        return f.batchMatMul(f.transpose(0, 2, 1));
    }

    private static void check(NDList maps, NDList references) {
        if (maps.isEmpty() || maps.size() != references.size()) {
            throw new IllegalArgumentException("need the same non-empty list of feature maps for x_t and x'_t, got "
                    + maps.size() + " and " + references.size());
        }
    }
}
