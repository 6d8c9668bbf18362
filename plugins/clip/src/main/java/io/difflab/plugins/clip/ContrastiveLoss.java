package io.difflab.plugins.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.difflab.kit.engine.Scalars;

/**
 * CLIP's symmetric contrastive loss (Radford et al. 2021, Fig. 3): over a batch of N matching
 * (image, text) pairs, logits = exp(t)·x̂ŷᵀ with x̂, ŷ the L2-normalised features and t the learned
 * log inverse temperature, clipped so the logits are scaled by at most 100 (sec. 2.5); the loss is
 * the mean of the cross-entropies along rows (each image's text) and columns (each text's image),
 * the right partner on the diagonal.
 */
public final class ContrastiveLoss {

    /** log 100: the largest logit scale (Radford et al. 2021, sec. 2.5). */
    public static final double MAX_LOG_SCALE = Math.log(100);

    private ContrastiveLoss() {
    }

    /** logits_per_image (N, N) = exp(min(t, log 100))·x̂ŷᵀ for features (N, E) and the log scale t (a scalar). */
    public static NDArray logits(NDArray imageFeatures, NDArray textFeatures, NDArray logScale) {
        NDArray x = imageFeatures.div(imageFeatures.norm(new int[] {1}, true));
        NDArray y = textFeatures.div(textFeatures.norm(new int[] {1}, true));
        NDArray clipped = logScale.minimum(logScale.getManager().full(logScale.getShape(), (float) MAX_LOG_SCALE,
                logScale.getDataType()));
        return x.matMul(y.transpose()).mul(clipped.exp());
    }

    /** (CE(rows) + CE(columns)) / 2 of logits (N, N) whose diagonal holds the matching pairs. */
    public static NDArray loss(NDArray logits) {
        long n = logits.getShape().get(0);
        NDArray diagonal = logits.getManager().eye((int) n).toType(logits.getDataType(), false);
        NDArray perImage = logits.logSoftmax(1).mul(diagonal).sum().neg();
        NDArray perText = logits.logSoftmax(0).mul(diagonal).sum().neg();
        return Scalars.div(perImage.add(perText), 2.0 * n);
    }

    /** The share of images whose own text has the largest logit in their row. */
    public static NDArray imageToTextAccuracy(NDArray logits) {
        long n = logits.getShape().get(0);
        NDArray right = logits.argMax(1).toType(DataType.INT64, false)
                .eq(logits.getManager().arange(0, n, 1, DataType.INT64));
        return right.toType(DataType.FLOAT32, false).mean();
    }
}
