package io.difflab.api;

import org.pf4j.ExtensionPoint;

/**
 * Extension point: a guidance method (none, classifier, classifier-free, semantic, CLIP) as a
 * wrapper around the denoiser, selected by {@code guidance.name}. Wrappers compose, so guidance
 * methods can be swapped in an ablation without touching the samplers.
 */
public interface GuidanceHead extends ExtensionPoint, Named {

    /** Wraps {@code denoiser} with this guidance. */
    Denoiser wrap(Denoiser denoiser, GuidanceContext context);

    /** Its cost per sampling step. */
    GuidanceCost cost(Config config);
}
