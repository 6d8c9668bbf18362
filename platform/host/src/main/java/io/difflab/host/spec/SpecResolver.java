package io.difflab.host.spec;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ModelFamily;
import io.difflab.api.UserError;
import io.difflab.host.registry.ExtensionKind;
import io.difflab.host.registry.Suggestions;
import io.difflab.kit.train.TrainSettings;
import jakarta.inject.Inject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a spec file and its {@code --set} overrides into an {@link ExperimentSpec}, or a
 * {@link SpecException} listing every problem with its key path: unknown keys (with "did you
 * mean"), wrong types, values out of range, unknown extension names (with the installed ones),
 * missing required keys. Defaults stack as {@link SpecLayers} describes.
 */
public final class SpecResolver {

    private final ExtensionRegistry registry;
    private final SpecPreflight preflight;

    /** Validates sections and keys only (no assembly of the run's model). */
    public SpecResolver(ExtensionRegistry registry) {
        this(registry, spec -> List.of());
    }

    /** Validates sections and keys, then assembles the run's model through {@code preflight}. */
    @Inject
    public SpecResolver(ExtensionRegistry registry, SpecPreflight preflight) {
        this.registry = registry;
        this.preflight = preflight;
    }

    /** The installed extensions specs are validated against. */
    public ExtensionRegistry registry() {
        return registry;
    }

    /** Reads {@code file}, applies {@code overrides}, validates; the run name defaults to the file name. */
    public ExperimentSpec resolve(Path file, List<String> overrides) {
        String text = SpecFiles.read(file, "spec");
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return resolve(text, file.toString(), base, overrides);
    }

    /**
     * Validates the YAML {@code text}.
     *
     * @param source      what to call it in messages
     * @param defaultName the run name when the spec gives none
     */
    public ExperimentSpec resolve(String text, String source, String defaultName, List<String> overrides) {
        return resolve(text, source, defaultName, overrides, Map.of());
    }

    /**
     * Validates the YAML {@code text} with {@code --set} overrides, then typed ones: key path to
     * value ({@code null} removes the key), applied in their map's order. A sweep cell is its base
     * spec with the sweep's values.
     */
    public ExperimentSpec resolve(String text, String source, String defaultName, List<String> overrides,
                                  Map<String, Object> values) {
        List<SpecProblem> early = new ArrayList<>();
        Object loaded;
        try {
            loaded = SpecYaml.load(text);
        } catch (IllegalArgumentException e) {
            throw new SpecException(source, List.of(new SpecProblem("", e.getMessage())));
        }
        if (loaded != null && !(loaded instanceof Map)) {
            throw new SpecException(source, List.of(new SpecProblem("", "expected key: value pairs at the top, got "
                    + OptionValues.describe(loaded))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> user = loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) SpecLayers.copy(loaded);
        expandShorthands(user);
        for (String override : overrides) {
            Overrides.apply(user, List.of(override), early);
            expandShorthands(user);
        }
        for (Map.Entry<String, Object> value : values.entrySet()) {
            try {
                KeyPath path = KeyPath.parse(value.getKey());
                dropOptionsOfReplacedExtension(user, path, value.getValue());
                Overrides.set(user, path, SpecLayers.copy(value.getValue()));
            } catch (IllegalArgumentException e) {
                early.add(new SpecProblem(value.getKey(), e.getMessage()));
            }
            expandShorthands(user);
        }
        return validate(user, source, defaultName, early);
    }

    private ExperimentSpec validate(Map<String, Object> user, String source, String defaultName, List<SpecProblem> early) {
        Map<String, String> origins = new LinkedHashMap<>();
        Problems problems = new Problems(origins);
        problems.addAll(early);
        for (String key : user.keySet()) {
            if (!HostSchema.TOP_LEVEL.contains(key)) {
                problems.add(key, "unknown key" + Suggestions.didYouMean(key, HostSchema.TOP_LEVEL)
                        + " (top-level keys: " + String.join(", ", HostSchema.TOP_LEVEL) + ")");
            }
        }
        Map<String, Object> family = new LinkedHashMap<>();
        String familyOrigin = familyDefaults(user, family, problems);
        Map<String, Object> spec = SpecLayers.stack(HostSchema.defaultNames(), family, familyOrigin, user, origins);
        SectionResolver sections = new SectionResolver(registry, problems);

        String name = topLevel(spec, "name", defaultName, String.class, problems);
        if (name != null && !name.matches(HostSchema.NAME_PATTERN)) {
            problems.add("name", "must be letters, digits, '.', '_' or '-', starting with a letter or digit (it names "
                    + "the run folder), got '" + Excerpt.of(name) + "'");
        } else if (name != null && name.length() > HostSchema.MAX_NAME_LENGTH) {
            problems.add("name", "must be at most " + HostSchema.MAX_NAME_LENGTH + " characters (it names the run "
                    + "folder, a file name), got " + name.length());
        }
        Number seed = topLevel(spec, "seed", 0, Number.class, problems);
        if (seed != null && !(seed instanceof Integer || seed instanceof Long)) {
            problems.add("seed", "expected an integer, got " + seed);
        }
        String device = topLevel(spec, "device", "auto", String.class, problems);
        if (device != null && !device.matches(HostSchema.DEVICE_PATTERN)) {
            problems.add("device", "must be auto, cpu, gpu or gpu:N, got '" + Excerpt.of(device) + "'"
                    + Suggestions.didYouMean(device, List.of("auto", "cpu", "gpu")));
        }
        Config model = sections.component(ExtensionKind.MODEL, "model", spec.get("model"), Map.of());
        Config dataset = sections.component(ExtensionKind.DATASET, "dataset", spec.get("dataset"), Map.of());
        Set<String> reads = sectionsRead(user);
        for (String section : ModelFamily.DIFFUSION_SECTIONS) {
            if (!reads.contains(section) && user.containsKey(section)) {
                problems.add(section, "model '" + ((Map<?, ?>) user.get("model")).get("name") + "' reads no "
                        + section + " section (it is not a diffusion model): remove it");
            }
        }
        Config schedule = reads.contains("schedule")
                ? sections.component(ExtensionKind.SCHEDULE, "schedule", spec.get("schedule"), Map.of()) : null;
        Config estimator = reads.contains("estimator")
                ? sections.component(ExtensionKind.ESTIMATOR, "estimator", spec.get("estimator"), Map.of()) : null;
        Config train = sections.host("train", spec.get("train"), HostSchema.TRAIN);
        Map<String, Object> samplerDefaults = schedule == null ? Map.of() : Map.of("steps", schedule.getInt("timesteps"));
        Config sampler = reads.contains("sampler") ? SamplerStepsCheck.checked(sections.component(ExtensionKind.SAMPLER,
                "sampler", SamplerStepsCheck.withoutMistypedSteps(spec.get("sampler"), problems), samplerDefaults),
                schedule, problems) : null;
        Config guidance = reads.contains("guidance")
                ? sections.component(ExtensionKind.GUIDANCE, "guidance", spec.get("guidance"), Map.of()) : null;
        Config sample = sections.host("sample", SampleSection.expand(spec.get("sample"), folderOf(source), problems),
                HostSchema.SAMPLE);
        List<Config> metrics = metrics(spec.get(HostSchema.METRICS), sections, problems);
        Config tracking = sections.host("tracking", spec.get("tracking"), HostSchema.TRACKING);
        if (tracking != null && tracking.getString("experiment").isBlank()) {
            problems.add("tracking.experiment", "must not be empty (it names the MLflow experiment)");
        }
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems.list());
        }
        ExperimentSpec resolved = new ExperimentSpec(name, seed.longValue(), device, model, dataset, schedule,
                estimator, TrainSettings.of(train), sampler, guidance, SampleSettings.of(sample), metrics,
                TrackingSettings.of(tracking));
        List<SpecProblem> assembly = preflight.check(resolved);
        if (!assembly.isEmpty()) {
            throw new SpecException(source, assembly);
        }
        return resolved;
    }

    /** The component sections the spec's model family reads (the diffusion ones when it names none known). */
    private Set<String> sectionsRead(Map<String, Object> user) {
        if (user.get("model") instanceof Map<?, ?> model && model.get("name") instanceof String name) {
            try {
                return registry.get(ModelFamily.class, name).sections();
            } catch (UserError unknown) {
                return ModelFamily.DIFFUSION_SECTIONS; // reported with the model section
            }
        }
        return ModelFamily.DIFFUSION_SECTIONS;
    }

    /** The folder of the spec file {@code source}, for paths relative to it; {@code null} when it is no file. */
    private static Path folderOf(String source) {
        try {
            Path p = Path.of(source).toAbsolutePath();
            return Files.isRegularFile(p) ? p.getParent() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Fills {@code into} with the named model family's defaults as a tree; returns their origin label. */
    private String familyDefaults(Map<String, Object> user, Map<String, Object> into, Problems problems) {
        if (!(user.get("model") instanceof Map<?, ?> model) || !(model.get("name") instanceof String name)) {
            return "";
        }
        ModelFamily family;
        try {
            family = registry.get(ModelFamily.class, name);
        } catch (UserError unknown) {
            return ""; // reported with the model section
        }
        String origin = "default of model family '" + name + "'";
        family.defaults().forEach((path, value) -> {
            try {
                Overrides.set(into, KeyPath.parse(path), SpecLayers.copy(value));
            } catch (IllegalArgumentException e) {
                problems.add(path, "model family '" + name + "' has a bad default: " + e.getMessage());
            }
        });
        return origin;
    }

    private static <T> T topLevel(Map<String, Object> spec, String key, T fallback, Class<T> type, Problems problems) {
        Object raw = spec.getOrDefault(key, fallback);
        if (raw == null) {
            raw = fallback;
        }
        if (!type.isInstance(raw)) {
            problems.add(key, "expected " + (type == String.class ? "a string" : "an integer") + ", got "
                    + OptionValues.describe(raw));
            return null;
        }
        return type.cast(raw);
    }

    private static List<Config> metrics(Object raw, SectionResolver sections, Problems problems) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> entries)) {
            problems.add(HostSchema.METRICS, "expected a list of sections like - {name: fd}, got "
                    + OptionValues.describe(raw));
            return List.of();
        }
        List<Config> metrics = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = KeyPath.child(HostSchema.METRICS, i);
            Config c = sections.component(ExtensionKind.METRIC, path, entries.get(i), Map.of());
            if (c != null) {
                metrics.add(c);
            }
        }
        return metrics;
    }

    /**
     * A typed value that names another extension for a section ({@code guidance.name: none} over a
     * base with {@code guidance: {name: classifier, scale: 3}}) drops the options the base gave the
     * previous one; the host's keys of the section ({@code sampler.steps}, {@code sampler.variance})
     * stay. Values set after it apply as usual.
     */
    @SuppressWarnings("unchecked")
    private static void dropOptionsOfReplacedExtension(Map<String, Object> user, KeyPath path, Object value) {
        if (path.size() != 2 || !"name".equals(path.segments().get(1)) || value == null) {
            return;
        }
        for (ExtensionKind kind : HostSchema.COMPONENTS) {
            if (kind.label().equals(path.segments().get(0)) && user.get(kind.label()) instanceof Map<?, ?> section
                    && section.get("name") != null && !section.get("name").equals(value)) {
                List<String> host = HostSchema.hostKeys(kind).stream().map(io.difflab.api.Option::key).toList();
                ((Map<String, Object>) section).keySet().removeIf(k -> !k.equals("name") && !host.contains(k));
            }
        }
    }

    /** {@code sampler: ddim} means {@code sampler: {name: ddim}}; likewise for each metrics entry. */
    @SuppressWarnings("unchecked")
    private static void expandShorthands(Map<String, Object> user) {
        for (ExtensionKind kind : HostSchema.COMPONENTS) {
            if (user.get(kind.label()) instanceof String name) {
                user.put(kind.label(), named(name));
            }
        }
        if (user.get(HostSchema.METRICS) instanceof List<?> entries) {
            List<Object> list = (List<Object>) entries;
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String name) {
                    list.set(i, named(name));
                }
            }
        }
    }

    private static Map<String, Object> named(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        return m;
    }
}
