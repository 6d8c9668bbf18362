package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.kit.clip.ClipModel;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.guidance.ScoreFunction;

/**
 * GLIDE's CLIP guidance score (Nichol et al. 2021, sec. 2.3, eq. 3): F(x_t, t, c) = e^τ·f̂(x_t, t)·ĝ(c),
 * the dot product of the noise-aware CLIP's L2-normalised image embedding of x_t at t and the
 * normalised text embedding of the caption, scaled by CLIP's temperature e^τ as glide-text2im's
 * {@code cond_fn} does; its gradient, times the scale s, shifts the mean: μ̂ = μ + s·Σ·∇_x F. The text
 * embeddings ĝ(c) arrive in the batch's condition entry {@link ClipTextEmbedding} made; a zero row (the
 * empty caption ∅) gives F = 0 and no guidance.
 */
final class NoisedClipScore implements ScoreFunction {

    /** glide-text2im adds this to the norm so a zero embedding stays finite. */
    static final double NORM_EPSILON = 1e-12;

    private final ClipModel clip;
    private final String entry;

    /**
     * @param clip  a noise-aware CLIP trained on the diffusion's forward process
     * @param entry the condition entry holding ĝ(c), (N, E)
     */
    NoisedClipScore(ClipModel clip, String entry) {
        if (!clip.noiseAware()) {
            throw new IllegalArgumentException("CLIP guidance reads x_t: it needs a noise-aware CLIP");
        }
        this.clip = clip;
        this.entry = entry;
    }

    @Override
    public NDArray score(NDArray xt, int timestep, Condition condition) {
        long n = xt.getShape().get(0);
        NDArray text = condition.get(entry).arrays().get(0);
        NDArray t = xt.getManager().full(new Shape(n), timestep, DataType.INT32);
        NDArray image = clip.encodeNoisedImage(xt, t);
        NDArray norm = image.norm(new int[] {1}, true);
        norm = norm.add(Scalars.of(norm, NORM_EPSILON));
        NDArray cosine = image.div(norm).mul(text.toDevice(xt.getDevice(), false)).sum(new int[] {1});
        return Scalars.mul(cosine, Math.exp(clip.logitScale()));
    }
}
