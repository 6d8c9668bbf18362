package io.difflab.host.spec;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Named;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.host.registry.ExtensionKind;
import io.difflab.host.registry.Suggestions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates one section of a spec against the keys it accepts and fills in defaults: a
 * component section (the named extension's {@code options()} plus the section's host keys) or
 * a host section ({@code train}, {@code sample}, {@code tracking}).
 */
final class SectionResolver {

    private final ExtensionRegistry registry;
    private final Problems problems;

    SectionResolver(ExtensionRegistry registry, Problems problems) {
        this.registry = registry;
        this.problems = problems;
    }

    /**
     * A component section at {@code path} ({@code sampler}, {@code metrics[0]}).
     *
     * @param computed defaults that depend on other sections ({@code sampler.steps = schedule.timesteps})
     * @return the section with defaults filled in, or {@code null} when it has problems
     */
    Config component(ExtensionKind kind, String path, Object raw, Map<String, Object> computed) {
        if (raw == null) {
            problems.add(path, "missing required section: which " + kind.noun() + " to use, as {name: ...}"
                    + installed(kind));
            return null;
        }
        if (!(raw instanceof Map<?, ?> section)) {
            problems.add(path, "expected a section like {name: ...}, got " + OptionValues.describe(raw));
            return null;
        }
        Object name = section.get("name");
        String namePath = KeyPath.child(path, "name");
        if (name == null) {
            problems.add(namePath, "missing required key: which " + kind.noun() + " to use" + installed(kind));
            return null;
        }
        if (!(name instanceof String extensionName)) {
            problems.add(namePath, "expected the name of a " + kind.noun() + ", got " + OptionValues.describe(name));
            return null;
        }
        Named extension;
        try {
            extension = registry.get(kind.point(), extensionName);
        } catch (UserError e) {
            problems.add(namePath, e.getMessage());
            return null;
        }
        List<Option> options = new ArrayList<>(HostSchema.hostKeys(kind));
        options.addAll(extension.options());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", extensionName);
        boolean ok = fill(path, section, options, computed, kind.noun() + " '" + extensionName + "'", values);
        return ok ? new Config(path, values) : null;
    }

    /** A host section ({@code train}); absent means every default. */
    Config host(String path, Object raw, List<Option> options) {
        Map<?, ?> section = Map.of();
        if (raw instanceof Map<?, ?> m) {
            section = m;
        } else if (raw != null) {
            problems.add(path, "expected a section of key: value pairs, got " + OptionValues.describe(raw));
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean ok = fill(path, section, options, Map.of(), "section '" + path + "'", values);
        return ok ? new Config(path, values) : null;
    }

    /** Checks every key of {@code section} against {@code options}; adds defaults; true when all is well. */
    private boolean fill(String path, Map<?, ?> section, List<Option> options, Map<String, Object> computed,
                         String owner, Map<String, Object> values) {
        Map<String, List<Option>> byKey = new LinkedHashMap<>();
        options.forEach(o -> byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o));
        List<String> accepted = new ArrayList<>(byKey.keySet());
        boolean ok = true;
        for (Map.Entry<?, ?> e : section.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("name") && values.containsKey("name")) {
                continue;
            }
            if (!byKey.containsKey(key)) {
                problems.add(KeyPath.child(path, key), "unknown key" + Suggestions.didYouMean(key, accepted) + " ("
                        + owner + (accepted.isEmpty() ? " accepts no keys)" : " accepts: " + String.join(", ", accepted) + ")"));
                ok = false;
            }
        }
        for (Map.Entry<String, List<Option>> e : byKey.entrySet()) {
            String key = e.getKey();
            String keyPath = KeyPath.child(path, key);
            Object raw = section.containsKey(key) ? section.get(key) : computed.get(key);
            if (raw == null) {
                raw = e.getValue().get(0).defaultValue();
            }
            if (raw == null) {
                problems.add(keyPath, "missing required key (" + e.getValue().get(0).description() + ")");
                ok = false;
                continue;
            }
            List<SpecProblem> found = new ArrayList<>();
            Object value = null;
            for (Option option : e.getValue()) {
                value = OptionValues.check(option, raw, keyPath, found);
            }
            problems.addAll(found);
            ok &= found.isEmpty();
            values.put(key, value);
        }
        return ok;
    }

    private String installed(ExtensionKind kind) {
        List<String> names = registry.all(kind.point()).stream().map(Named::name).distinct().toList();
        return names.isEmpty() ? " (none is installed)" : " (installed: " + String.join(", ", names) + ")";
    }
}
