package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.GaussianDiffusion;

import java.util.Map;
import java.util.function.Function;

/**
 * The diffusion prior's loss (Ramesh et al. 2022, sec. 2.2; the survey's eq. 14):
 * L_prior = E_{τ, z_i^(τ)} ‖f_θ(z_i^(τ), τ, y, z_t) − z_i‖², the network predicting the unnoised CLIP
 * image embedding z_i directly, here averaged over the E coordinates (‖·‖²/E). Per batch: z_i and z_t from
 * the frozen CLIP, τ uniform on the prior's schedule, z_i^(τ) = √ᾱ_τ z_i + √(1 − ᾱ_τ) ε, and the text
 * conditioning (caption tokens and z_t together) dropped to ∅ with probability p_uncond (10% in the paper)
 * so that one network also predicts the unconditional z_i for classifier-free guidance. Logs the share dropped
 * and {@code train.embedding_variance}, the loss of the best caption-blind constant on the batch.
 */
final class PriorObjective implements TrainingObjective {

    private final FrozenClip clip;
    private final GaussianDiffusion diffusion;
    private final double pUncond;

    /**
     * @param schedule the prior's own forward process (cosine in the paper)
     * @param pUncond  the probability that a sample's text conditioning is ∅
     */
    PriorObjective(FrozenClip clip, DiffusionSchedule schedule, double pUncond) {
        this.clip = clip;
        this.diffusion = new GaussianDiffusion(schedule);
        this.pUncond = pUncond;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        Condition.Entry caption = batch.condition().get(Dalle2Model.CAPTION);
        NDArray ids = caption.arrays().get(0);
        NDArray mask = caption.arrays().get(1);
        NDArray zi = clip.imageEmbedding(batch.images());
        NDArray zt = clip.textEmbedding(ids, mask);
        long n = zi.getShape().get(0);
        NDArray t = batch.noise().randint(batch.manager(), diffusion.schedule().timesteps(), n);
        NDArray noise = batch.noise().normal(batch.manager(), zi.getShape());
        NDArray noised = diffusion.qSample(zi, t, noise);
        NDArray drop = ConditionDropout.mask(batch.noise(), batch.manager(), n, pUncond);
        Condition text = Condition.of(Map.of(Dalle2Model.CAPTION, caption,
                Dalle2Model.TEXT_EMBEDDING, new Condition.Entry(ConditionKind.EMBEDDING, new NDList(zt))));
        text = text.dropRows(Dalle2Model.CAPTION, drop).dropRows(Dalle2Model.TEXT_EMBEDDING, drop);
        extra.put("train.dropped", drop.toType(DataType.FLOAT32, false).mean());
        // the loss of the best constant prediction on this batch (its per-coordinate variance of z_i):
        // a prior below it reads z_t, the caption or z_i^(τ), not only the mean embedding
        extra.put("train.embedding_variance", zi.sub(zi.mean(new int[] {0}, true)).square().mean());
        NDList captionArrays = text.get(Dalle2Model.CAPTION).arrays();
        NDArray predicted = network.apply(new NDList(noised, t.toType(DataType.FLOAT32, false),
                text.get(Dalle2Model.TEXT_EMBEDDING).array(), captionArrays.get(0), captionArrays.get(1))).head();
        return predicted.sub(zi).square().mean();
    }
}
