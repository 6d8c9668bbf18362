package io.difflab.plugins.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.NoisedBatch;

import java.util.Map;
import java.util.function.Function;

/**
 * Trains a CLIP on a batch of captioned images with {@link ContrastiveLoss}. A noise-aware CLIP sees
 * each image noised to a timestep t ~ Uniform{0..T−1} by q(x_t | x_0) of its diffusion and is told t
 * (GLIDE's noised CLIP, Nichol et al. 2021, sec. 2.3: "trained on noised images"). Logs
 * {@code train.logit_scale} (exp t, the inverse temperature, before the clip at 100) and
 * {@code train.accuracy} (the share of images whose own caption scores highest in the batch).
 */
final class ContrastiveObjective implements TrainingObjective {

    private final String captions;
    private final GaussianDiffusion diffusion;

    /**
     * @param captions  the name of the token condition the batch carries the captions under
     * @param diffusion the forward process a noise-aware CLIP reads x_t of; null for a clean CLIP
     */
    ContrastiveObjective(String captions, GaussianDiffusion diffusion) {
        this.captions = captions;
        this.diffusion = diffusion;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NDList tokens = batch.condition().get(captions).arrays();
        NDList inputs;
        if (diffusion == null) {
            inputs = new NDList(batch.images());
        } else {
            NoisedBatch noised = NoisedBatch.draw(diffusion, batch);
            inputs = new NDList(noised.xt(), noised.t().toType(DataType.INT32, false));
        }
        inputs.addAll(tokens);
        NDList out = network.apply(inputs);
        NDArray logits = ContrastiveLoss.logits(out.get(0), out.get(1), out.get(2));
        extra.put("train.logit_scale", out.get(2).stopGradient().exp());
        extra.put("train.accuracy", ContrastiveLoss.imageToTextAccuracy(logits.stopGradient()));
        return ContrastiveLoss.loss(logits);
    }
}
