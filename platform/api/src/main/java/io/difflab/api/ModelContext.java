package io.difflab.api;

import java.util.Map;
import java.util.Set;

/**
 * What a model family assembles a run's model from: the validated spec sections, what the dataset
 * provides, and the registry the sections' extensions come from. Assembly builds networks without
 * initializing them (no arrays), so validation can assemble a spec before anything is created.
 *
 * @param sections     the validated sections by name: the component sections the family reads
 *                     ({@code model}, {@code schedule}, {@code estimator}, {@code sampler},
 *                     {@code guidance}) and the host's {@code train} section (e.g. its schedule sampler)
 * @param dataset      what the training split provides
 * @param sampleFields the condition fields the spec's {@code sample} section gives values for
 * @param registry     the installed extensions
 */
public record ModelContext(Map<String, Config> sections, DatasetInfo dataset, Set<String> sampleFields,
                           ExtensionRegistry registry) {

    public ModelContext {
        sections = Map.copyOf(sections);
        sampleFields = Set.copyOf(sampleFields);
    }

    /** The {@code model} section. */
    public Config model() {
        return section("model");
    }

    /** The section {@code name}; an {@link IllegalArgumentException} when the spec has none. */
    public Config section(String name) {
        Config c = sections.get(name);
        if (c == null) {
            throw new IllegalArgumentException("the spec has no section '" + name + "' (it has " + sections.keySet() + ")");
        }
        return c;
    }

    /** The extension of {@code point} that section {@code name} names (by its {@code name} key). */
    public <T extends Named> T component(String name, Class<T> point) {
        return registry.get(point, section(name).getString("name"));
    }
}
