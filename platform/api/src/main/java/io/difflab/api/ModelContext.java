package io.difflab.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What a model family assembles a run's model from: the validated spec sections, what the dataset
 * provides, and the registry the sections' extensions come from. Assembly builds networks without
 * initializing them (no arrays), so validation can assemble a spec before anything is created.
 *
 * @param sections       the validated sections by name: the component sections the family reads
 *                       ({@code model}, {@code schedule}, {@code estimator}, {@code sampler},
 *                       {@code guidance}) and the host's {@code train} section (e.g. its schedule sampler)
 * @param dataset        what the training split provides
 * @param sampleFields   the condition fields the spec's {@code sample} section gives values for
 * @param registry       the installed extensions
 * @param trainingValues the training split's raw values of a condition field, in item order, loading the
 *                       split on first use (see {@link #trainingValues(String)})
 */
public record ModelContext(Map<String, Config> sections, DatasetInfo dataset, Set<String> sampleFields,
                           ExtensionRegistry registry, Function<String, List<?>> trainingValues) {

    public ModelContext {
        sections = Map.copyOf(sections);
        sampleFields = Set.copyOf(sampleFields);
        Objects.requireNonNull(trainingValues, "trainingValues");
    }

    /** A context without access to the training items (assembly that needs them fails with a {@link UserError}). */
    public ModelContext(Map<String, Config> sections, DatasetInfo dataset, Set<String> sampleFields,
                        ExtensionRegistry registry) {
        this(sections, dataset, sampleFields, registry, field -> {
            throw new UserError("the training items' '" + field + "' values are not available where this model is"
                    + " assembled");
        });
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

    /**
     * The raw values of {@code field} for every item of the training split, in item order: what a
     * model learns from the data itself before it trains (a word vocabulary from the captions). Loads
     * the split when called, so a family asks only when it needs them.
     *
     * @throws UserError when the dataset has no such field, or its items are not available here
     */
    public List<?> trainingValues(String field) {
        if (!dataset.has(field)) {
            throw new UserError("the dataset has no condition field '" + field + "' (it has "
                    + dataset.fields().keySet() + ")");
        }
        return trainingValues.apply(field);
    }
}
