package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.List;
import java.util.Set;

/**
 * Extension point: a guidance method (none, classifier, classifier-free, semantic, CLIP) as a
 * wrapper around the denoiser, selected by {@code guidance.name}. A head owns its math: it returns
 * the guided ε, or a {@link StepGuidance} that shifts the mean or the score, so samplers never
 * branch on guidance; wrappers compose, so methods can be swapped in an ablation.
 */
public interface GuidanceHead extends ExtensionPoint, Named {

    /** Wraps {@code denoiser} with this guidance. */
    Denoiser wrap(Denoiser denoiser, GuidanceContext context);

    /** Its cost per sampling step. */
    GuidanceCost cost(Config config);

    /**
     * The conditions it steers by (e.g. the class labels of classifier guidance), which the host
     * encodes for every sample next to the estimator's own; none by default.
     */
    default List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        return List.of();
    }

    /**
     * The run's trained networks it needs, by name (e.g. {@code classifier}); a model that trains
     * none of that name fails validation. None by default.
     */
    default Set<String> requiredNetworks(Config config) {
        return Set.of();
    }
}
