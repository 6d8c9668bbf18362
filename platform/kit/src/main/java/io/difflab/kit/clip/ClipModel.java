package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import io.difflab.kit.engine.Scalars;

/**
 * A CLIP (Radford et al. 2021): an image encoder and a text encoder into one embedding space,
 * and the learned temperature that scales their cosine similarities into logits. One trained by
 * the platform and one imported from OpenAI's TorchScript files ({@link TorchScriptClip}) look
 * the same to the code that uses them (CLIP guidance, CLIP score, re-ranking, unCLIP's prior).
 */
public interface ClipModel {

    /**
     * Image features (N, E) of images (N, 3, R, R), R = {@link #inputResolution()}, in CLIP's input
     * convention: RGB in [0, 1], then per channel (x − mean) / std with OpenAI's mean
     * (0.48145466, 0.4578275, 0.40821073) and std (0.26862954, 0.26130258, 0.27577711).
     * Differentiable with respect to the images (CLIP guidance needs ∇ₓ).
     */
    NDArray encodeImage(NDArray images);

    /**
     * Text features (N, E) of token rows (N, L) of int32 ids, L = {@link #contextLength()}, laid out
     * as {@link io.difflab.api.Vocabulary} encodes them; CLIP pools each row at its end token.
     */
    NDArray encodeText(NDArray ids);

    /** CLIP's {@code logit_scale}: the log of the inverse temperature (log(1/0.07) at initialisation). */
    double logitScale();

    /** R: the side of the square images {@link #encodeImage} takes. */
    int inputResolution();

    /** L: the length of the token rows {@link #encodeText} takes. */
    int contextLength();

    /** E: the size of the shared embedding. */
    int embeddingSize();

    /**
     * logits_per_image (N_images, N_texts) = exp(logit_scale) · x̂ ŷᵀ with x̂, ŷ the L2-normalized
     * image and text features (Radford et al. 2021, Fig. 3); its transpose is logits_per_text.
     */
    default NDArray logits(NDArray imageFeatures, NDArray textFeatures) {
        NDArray x = imageFeatures.div(imageFeatures.norm(new int[] {1}, true));
        NDArray y = textFeatures.div(textFeatures.norm(new int[] {1}, true));
        return Scalars.mul(x.matMul(y.transpose()), Math.exp(logitScale()));
    }
}
