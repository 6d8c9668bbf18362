package io.difflab.host.spec;

import io.difflab.host.registry.ExtensionKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks the layers of a spec: the host's default extension names, under the model family's
 * {@code defaults()}, under the user's spec (with its {@code --set} overrides). Maps merge key
 * by key; lists and plain values replace. Keys a default layer set are remembered with their
 * origin for messages.
 *
 * <p>A family's defaults for a component section are meant for the extension it names there:
 * when the user picks another one ({@code schedule.name: linear} for a family defaulting to
 * cosine), the family's extension-specific keys for that section are dropped; host keys
 * (like {@code schedule.timesteps}) still apply.
 */
final class SpecLayers {

    private SpecLayers() { }

    static Map<String, Object> stack(Map<String, Object> hostNames, Map<String, Object> family, String familyOrigin,
                                     Map<String, Object> user, Map<String, String> origins) {
        Map<String, Object> merged = new LinkedHashMap<>();
        overlay(merged, hostNames, "", "host default", origins);
        overlay(merged, withoutForeignDefaults(family, user), "", familyOrigin, origins);
        overlay(merged, user, "", null, origins);
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutForeignDefaults(Map<String, Object> family, Map<String, Object> user) {
        Map<String, Object> kept = new LinkedHashMap<>(family);
        for (ExtensionKind kind : HostSchema.COMPONENTS) {
            String section = kind.label();
            if (family.get(section) instanceof Map<?, ?> defaults && user.get(section) instanceof Map<?, ?> chosen
                    && chosen.get("name") != null && defaults.get("name") != null
                    && !chosen.get("name").equals(defaults.get("name"))) {
                Map<String, Object> hostOnly = new LinkedHashMap<>();
                HostSchema.hostKeys(kind).forEach(o -> {
                    if (defaults.containsKey(o.key())) {
                        hostOnly.put(o.key(), defaults.get(o.key()));
                    }
                });
                kept.put(section, hostOnly);
            }
        }
        return kept;
    }

    /** Writes {@code layer} over {@code base}; {@code origin} null means the user's own values. */
    @SuppressWarnings("unchecked")
    private static void overlay(Map<String, Object> base, Map<String, Object> layer, String path, String origin,
                                Map<String, String> origins) {
        for (Map.Entry<String, Object> e : layer.entrySet()) {
            String childPath = KeyPath.child(path, e.getKey());
            Object value = e.getValue();
            if (value instanceof Map<?, ?> map) {
                if (!(base.get(e.getKey()) instanceof Map<?, ?>)) {
                    forget(childPath, origins);
                    base.put(e.getKey(), new LinkedHashMap<String, Object>());
                }
                overlay((Map<String, Object>) base.get(e.getKey()), (Map<String, Object>) map, childPath, origin, origins);
                continue;
            }
            forget(childPath, origins);
            if (origin != null) {
                origins.put(childPath, origin);
            }
            base.put(e.getKey(), copy(value));
        }
    }

    private static void forget(String path, Map<String, String> origins) {
        origins.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "["));
    }

    /** A deep, mutable copy of a YAML value. */
    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> c = new LinkedHashMap<>();
            map.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
            return c;
        }
        if (value instanceof List<?> list) {
            List<Object> c = new ArrayList<>();
            list.forEach(v -> c.add(copy(v)));
            return c;
        }
        return value;
    }
}
