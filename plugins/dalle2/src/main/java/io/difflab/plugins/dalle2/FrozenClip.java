package io.difflab.plugins.dalle2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Vocabulary;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.engine.Scalars;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * unCLIP's CLIP (Ramesh et al. 2022, sec. 2): trained elsewhere, named by reference ({@link ClipReference}:
 * a clip run folder, a run name, or a TorchScript file), loaded once per device and never trained here.
 * Its embeddings reach the prior and the decoder L2-normalised and scaled by √E, so each coordinate has
 * about unit variance like the diffusion's noise (as DALLE2-pytorch's {@code image_embed_scale} does); the
 * scale changes no dot-product ranking. Gradients never flow into it.
 */
final class FrozenClip {

    private final String reference;
    private final ExtensionRegistry registry;
    private final Map<Device, LoadedClip> loaded = new LinkedHashMap<>();
    private Vocabulary vocabulary;

    /** @param reference what the spec's {@code model.clip} names */
    FrozenClip(String reference, ExtensionRegistry registry) {
        this.reference = reference;
        this.registry = registry;
    }

    /** The CLIP on {@code device}, loaded on first use. */
    synchronized LoadedClip on(Device device) {
        return loaded.computeIfAbsent(device, d -> ClipReference.load(reference, registry, d));
    }

    /**
     * E, CLIP's embedding size: from a clip run's architecture, without loading its weights; a
     * TorchScript file is loaded on the CPU to tell (assembly has no run device yet).
     */
    int embeddingSize() {
        Optional<ClipArchitecture> architecture = ClipReference.architecture(reference);
        if (architecture.isPresent()) {
            return architecture.get().embeddingSize();
        }
        try (LoadedClip script = ClipReference.load(reference, registry, Device.cpu())) {
            return script.model().embeddingSize();
        }
    }

    /** The vocabulary CLIP's text encoder reads, without its weights where it can (kept for the family's life). */
    synchronized Vocabulary vocabulary() {
        if (vocabulary == null) {
            vocabulary = ClipReference.vocabulary(reference, registry, Device.cpu());
        }
        return vocabulary;
    }

    /** z_i (N, E) of images (N, C, H, W) in [−1, 1]: √E·f/‖f‖, f CLIP's image features; no gradient. */
    NDArray imageEmbedding(NDArray images) {
        return scaled(on(images.getDevice()).model().imageFeatures(images));
    }

    /** z_t (N, E) of token rows and their mask (N, L) in CLIP's vocabulary: √E·g/‖g‖; no gradient. */
    NDArray textEmbedding(NDArray ids, NDArray mask) {
        return scaled(on(ids.getDevice()).model().encodeText(ids, mask));
    }

    /** √E·f/‖f‖ row by row, cut from any graph. */
    static NDArray scaled(NDArray features) {
        long e = features.getShape().get(1);
        NDArray unit = features.div(Scalars.maximum(features.norm(new int[] {1}, true), 1e-12));
        return Scalars.mul(unit, Math.sqrt(e)).stopGradient();
    }
}
