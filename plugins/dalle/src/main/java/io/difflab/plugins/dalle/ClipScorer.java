package io.difflab.plugins.dalle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.difflab.api.ExtensionRegistry;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;

import java.util.List;

/**
 * The CLIP score of an image and its caption: the cosine similarity of CLIP's image and text
 * features (Radford et al. 2021), as DALL-E's reranking uses it (Ramesh et al. 2021, sec. 2.5). The
 * CLIP is any the kit's {@link ClipReference} names (a trained run, a run name with its folder, or a
 * TorchScript file with its tokenizer.json), loaded on the first images' device when first used; it
 * brings its own preprocessing ({@code ClipModel.imageFeatures}) and vocabulary.
 */
final class ClipScorer implements CandidateScorer {

    private final String reference;
    private final ExtensionRegistry registry;
    private LoadedClip clip;

    ClipScorer(String reference, ExtensionRegistry registry) {
        this.reference = reference;
        this.registry = registry;
    }

    @Override
    public synchronized NDArray score(NDArray images, List<String> captions) {
        LoadedClip loaded = loaded(images.getDevice());
        NDArray imageFeatures = loaded.model().imageFeatures(images);
        NDArray textFeatures = loaded.captionFeatures(images.getManager(), captions);
        NDArray x = imageFeatures.div(imageFeatures.norm(new int[] {1}, true));
        NDArray y = textFeatures.div(textFeatures.norm(new int[] {1}, true));
        return x.mul(y).sum(new int[] {1});
    }

    private LoadedClip loaded(Device device) {
        if (clip == null) {
            clip = ClipReference.load(reference, registry, device);
        }
        return clip;
    }

    @Override
    public String describe() {
        return "CLIP " + reference;
    }

    @Override
    public synchronized void close() {
        if (clip != null) {
            clip.close();
            clip = null;
        }
    }
}
