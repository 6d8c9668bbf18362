package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipModel;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.guidance.ScoreFunction;

import java.util.EnumMap;
import java.util.Map;

/**
 * SDG's guidance score F(x_t, t) = Σ_i w_i F_i (Liu et al. 2021, sec. 3.4: multimodal guidance as a
 * weighted sum of the language and image scores), each {@link SemanticTerm} read by one noise-aware
 * CLIP at the step's original timestep t. The caption's text features, the reference x'_t and its
 * features are constants of the step: gradients reach x_t only.
 */
public final class SemanticScore implements ScoreFunction {

    /** The batch entry holding the captions' tokens (ids, mask). */
    public static final String CAPTION = "sdg_caption";
    /** The batch entry holding the reference images x'_0 (N, C, H, W) in [−1, 1]. */
    public static final String REFERENCE = "sdg_reference";

    private final ClipModel clip;
    private final Map<SemanticTerm, Double> weights;
    private final NoisedReference reference;

    /**
     * @param clip      a noise-aware CLIP
     * @param weights   w_i of the terms used (each > 0)
     * @param reference q_sample of the references; only read when an image term is weighted
     */
    public SemanticScore(ClipModel clip, Map<SemanticTerm, Double> weights, NoisedReference reference) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("semantic guidance needs at least one weighted term");
        }
        this.clip = clip;
        this.weights = new EnumMap<>(weights);
        this.reference = reference;
    }

    @Override
    public NDArray score(NDArray xt, int timestep, Condition condition) {
        NDManager m = xt.getManager();
        long n = xt.getShape().get(0);
        if (xt.getShape().get(2) != clip.inputResolution() || xt.getShape().get(3) != clip.inputResolution()) {
            throw new UserError("guidance.clip: the noise-aware CLIP reads " + clip.inputResolution() + "x"
                    + clip.inputResolution() + " images x_t, and this model samples " + xt.getShape().get(2) + "x"
                    + xt.getShape().get(3) + "; train the CLIP on the model's dataset and image size");
        }
        NDArray t = m.full(new Shape(n), timestep).toType(DataType.INT32, false);
        NDArray total = null;
        NDArray features = weights.containsKey(SemanticTerm.LANGUAGE) || weights.containsKey(SemanticTerm.SEMANTIC)
                ? clip.encodeNoisedImage(xt, t) : null;
        if (weights.containsKey(SemanticTerm.LANGUAGE)) {
            NDList tokens = borrowed(condition, CAPTION, m);
            NDArray text = clip.encodeText(tokens.get(0), tokens.get(1)).stopGradient();
            // a row asked for ∅ (no caption) is not steered by language
            NDArray hasCaption = tokens.get(1).sum(new int[] {1}).gt(0).toType(xt.getDataType(), false);
            total = add(total, SemanticTerm.LANGUAGE, SemanticMath.cosine(features, text).mul(hasCaption));
        }
        boolean image = weights.keySet().stream().anyMatch(SemanticTerm::needsReference);
        if (image) {
            NDArray x0 = borrowed(condition, REFERENCE, m).get(0).toType(xt.getDataType(), false);
            if (!x0.getShape().equals(xt.getShape())) {
                throw new IllegalArgumentException("reference images " + x0.getShape() + " for samples " + xt.getShape());
            }
            // the survey's eq. 8: x'_t = q_sample(x'_0, t) at the same t as x_t
            NDArray xr = reference.sample(x0, timestep);
            if (weights.containsKey(SemanticTerm.SEMANTIC)) {
                NDArray target = clip.encodeNoisedImage(xr, t).stopGradient();
                total = add(total, SemanticTerm.SEMANTIC, SemanticMath.cosine(features, target));
            }
            if (weights.containsKey(SemanticTerm.STRUCTURE) || weights.containsKey(SemanticTerm.STYLE)) {
                NDList maps = clip.noisedFeatureMaps(xt, t);
                NDList targets = new NDList();
                clip.noisedFeatureMaps(xr, t).forEach(a -> targets.add(a.stopGradient()));
                if (weights.containsKey(SemanticTerm.STRUCTURE)) {
                    total = add(total, SemanticTerm.STRUCTURE, SemanticMath.structure(maps, targets));
                }
                if (weights.containsKey(SemanticTerm.STYLE)) {
                    total = add(total, SemanticTerm.STYLE, SemanticMath.style(maps, targets));
                }
            }
        }
        return total;
    }

    /** The terms and their weights. */
    public Map<SemanticTerm, Double> weights() {
        return Map.copyOf(weights);
    }

    private NDArray add(NDArray total, SemanticTerm term, NDArray f) {
        NDArray weighted = Scalars.mul(f, weights.get(term));
        return total == null ? weighted : total.add(weighted);
    }

    /** The entry's arrays, lent to {@code m} (the gradient's scope) so what is derived from them is freed with it. */
    private static NDList borrowed(Condition condition, String name, NDManager m) {
        if (!condition.has(name)) {
            throw new IllegalArgumentException("semantic guidance needs the condition '" + name + "', the batch has "
                    + condition.names());
        }
        NDList arrays = condition.get(name).arrays();
        arrays.forEach(a -> a.tempAttach(m));
        return arrays;
    }
}
