package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;

import java.util.Map;
import java.util.function.Function;

/**
 * The decoder's loss: the kit's diffusion objective (L_simple, or L_hybrid with learned Σ) on a batch
 * whose condition also carries the CLIP image embedding z_i of its own images, computed with the frozen
 * CLIP (Ramesh et al. 2022, sec. 2.1: the decoder inverts CLIP's image encoder). The wrapped objective's
 * condition dropout then drops z_i and the caption for classifier-free guidance.
 */
final class DecoderObjective implements TrainingObjective {

    private final FrozenClip clip;
    private final TrainingObjective diffusion;

    /** @param diffusion the recipe's objective over [caption,] image embedding, with its dropout */
    DecoderObjective(FrozenClip clip, TrainingObjective diffusion) {
        this.clip = clip;
        this.diffusion = diffusion;
    }

    /** The batch's condition with z_i of its images appended (after the caption, as the estimator reads them). */
    Condition withImageEmbedding(TrainingBatch batch) {
        NDArray zi = clip.imageEmbedding(batch.images());
        return batch.condition().with(Dalle2Model.IMAGE_EMBEDDING,
                new Condition.Entry(ConditionKind.EMBEDDING, new NDList(zi)));
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        TrainingBatch conditioned = new TrainingBatch(batch.manager(), batch.images(), withImageEmbedding(batch),
                batch.noise(), batch.trained(), batch.step());
        return diffusion.loss(conditioned, network, extra);
    }

    @Override
    public Map<String, String> state() {
        return diffusion.state();
    }

    @Override
    public void restore(Map<String, String> state) {
        diffusion.restore(state);
    }
}
