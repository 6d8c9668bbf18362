package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

    /**
     * Text features (N, E) of token rows (N, L) with their mask (N, L), as a
     * {@link io.difflab.api.ConditionKind#TOKENS} condition carries them. By default the mask is not
     * needed: the end token is found from the ids.
     */
    default NDArray encodeText(NDArray ids, NDArray mask) {
        return encodeText(ids);
    }

    /**
     * Image features (N, E) of images in the platform's convention, (N, C, H, W) in [−1, 1]: brought to
     * CLIP's input by {@link ClipInput#of} (grey to RGB, upscaled to R, normalised), then
     * {@link #encodeImage}. Differentiable with respect to the images.
     */
    default NDArray imageFeatures(NDArray images) {
        return encodeImage(ClipInput.of(images, inputResolution()));
    }

    /**
     * Whether the image encoder reads noised images x_t with their timestep (GLIDE's noised CLIP,
     * Nichol et al. 2021, sec. 2.3), for CLIP guidance along the reverse process.
     */
    default boolean noiseAware() {
        return false;
    }

    /**
     * The diffusion a noise-aware CLIP was trained on, {@code <schedule>:<T>} (e.g. {@code cosine:1000}):
     * guidance with it needs x_t of that same forward process. Empty when not noise-aware.
     */
    default String noisedBy() {
        return "";
    }

    /**
     * Image features (N, E) of noised images x_t (N, C, H, W) at timesteps t (N, integers in [0, T)), x_t
     * on the diffusion's scale (x_0 in [−1, 1]), for a {@linkplain #noiseAware() noise-aware} CLIP.
     *
     * @throws UnsupportedOperationException when it is not noise-aware
     */
    default NDArray encodeNoisedImage(NDArray xt, NDArray t) {
        throw new UnsupportedOperationException("this CLIP is not noise-aware: it reads clean images only");
    }

    /**
     * The image encoder's intermediate feature maps of noised images x_t at timesteps t, one
     * (N, C_j, H_j, W_j) per layer j, first layer first, for feature-matching guidance (SDG's
     * structure and style, Liu et al. 2021). Differentiable with respect to x_t.
     *
     * @throws UnsupportedOperationException when it is not noise-aware or does not expose them
     */
    default NDList noisedFeatureMaps(NDArray xt, NDArray t) {
        throw new UnsupportedOperationException("this CLIP does not expose the feature maps of noised images");
    }

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
