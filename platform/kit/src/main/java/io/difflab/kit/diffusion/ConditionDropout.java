package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.NoiseSource;

/**
 * The condition dropout that trains one network for conditional and unconditional prediction
 * (Ho &amp; Salimans 2021, Alg. 1, line 3: c ← ∅ with probability p_uncond): each sample of a batch
 * is dropped independently, decided by u &lt; p_uncond with u ~ U[0, 1) from the batch's seeded
 * noise source, so a run is reproducible and resumable.
 *
 * <p>The mask is independent of what is dropped: class labels here; captions (GLIDE) and CLIP
 * embeddings (unCLIP) replace their own values where it is true.
 */
public final class ConditionDropout {

    private final double probability;

    /** @param probability p_uncond in [0, 1] */
    public ConditionDropout(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("p_uncond must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    /** p_uncond. */
    public double probability() {
        return probability;
    }

    /** An (n) boolean mask, true for the samples whose condition becomes ∅; one uniform draw per sample. */
    public NDArray mask(NoiseSource noise, NDManager manager, long n) {
        return noise.uniform(manager, n).lt(probability);
    }

    /** {@code labels} (N) as int32 with the entries under {@code mask} replaced by {@code nullLabel}. */
    public static NDArray dropLabels(NDArray labels, NDArray mask, int nullLabel) {
        NDArray asInt = labels.toType(DataType.INT32, false);
        return NDArrays.where(mask, asInt.getManager().full(asInt.getShape(), nullLabel), asInt);
    }
}
