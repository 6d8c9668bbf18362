package io.difflab.plugins.glide;

import ai.djl.Device;
import io.difflab.api.ExtensionRegistry;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;

import java.util.HashMap;
import java.util.Map;

/**
 * The CLIPs a guidance head has loaded, one per reference and device, kept for the life of the head
 * (a run's process): the text embeddings of a batch's captions and the gradients of its steps read
 * the same weights, loaded once.
 */
final class LoadedClips {

    private final ExtensionRegistry registry;
    private final Map<String, LoadedClip> loaded = new HashMap<>();

    LoadedClips(ExtensionRegistry registry) {
        this.registry = registry;
    }

    /** The CLIP {@code reference} names ({@link ClipReference#load}) on {@code device}. */
    synchronized LoadedClip get(String reference, Device device) {
        return loaded.computeIfAbsent(reference + "@" + device, k -> ClipReference.load(reference, registry, device));
    }
}
