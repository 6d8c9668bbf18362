package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.Map;
import java.util.Set;

/**
 * Extension point: the recipe of one surveyed model, selected by {@code model.name}: the spec
 * values it implies, the sections it reads, and how it assembles a run's {@link Model} (which
 * networks, trained in what order on what, and how they generate).
 */
public interface ModelFamily extends ExtensionPoint, Named {

    /** The sections a diffusion model reads besides {@code model} and {@code dataset}. */
    Set<String> DIFFUSION_SECTIONS = Set.of("schedule", "estimator", "sampler", "guidance");

    /**
     * Spec values this recipe sets unless the user's spec does, as dotted key paths
     * ({@code schedule.name -> linear}, {@code schedule.timesteps -> 1000}).
     */
    Map<String, Object> defaults();

    /**
     * The component sections it reads besides {@code model} and {@code dataset}; a spec that sets
     * another is rejected with a message naming this family. Diffusion sections by default.
     */
    default Set<String> sections() {
        return DIFFUSION_SECTIONS;
    }

    /**
     * The keys of its {@code model} section that only generation reads (e.g. DALL-E's top-k and number
     * of reranked candidates): runs whose specs differ only in these, or in the sampling sections, share
     * one training. None by default.
     */
    default Set<String> samplingOptions() {
        return Set.of();
    }

    /**
     * Assembles a run's model from its validated sections. Builds networks without initializing
     * them, so validation calls it too.
     *
     * @throws UserError when the settings do not fit together (naming the key), when the dataset lacks
     *                   a condition the model needs, or a guidance head needs a network it does not train
     */
    Model assemble(ModelContext context);
}
