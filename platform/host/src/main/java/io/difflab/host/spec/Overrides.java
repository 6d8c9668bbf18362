package io.difflab.host.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line overrides, {@code --set train.steps=500}: a key path and a YAML value (a number,
 * a string, a boolean, a list like {@code [1,2,2]}); {@code null} removes the key so its default
 * applies. List entries are addressed by index ({@code metrics[0].name=fd}); the index one past
 * the end appends.
 */
public final class Overrides {

    private Overrides() { }

    /**
     * Applies {@code assignments} in order to {@code tree} (modified in place); what cannot be
     * applied is added to {@code problems}.
     */
    public static void apply(Map<String, Object> tree, List<String> assignments, List<SpecProblem> problems) {
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq < 0) {
                problems.add(new SpecProblem("", "--set " + Excerpt.of(assignment) + ": expected key=value"));
                continue;
            }
            String key = assignment.substring(0, eq).strip();
            String text = assignment.substring(eq + 1).strip();
            try {
                Object value = text.isEmpty() ? "" : SpecYaml.load(text);
                set(tree, KeyPath.parse(key), value);
            } catch (IllegalArgumentException e) {
                problems.add(new SpecProblem(key, "--set " + Excerpt.of(assignment) + ": " + e.getMessage()));
            }
        }
    }

    /** Sets {@code path} to {@code value} in {@code tree}, creating sections and list entries on the way. */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> tree, KeyPath path, Object value) {
        Object container = tree;
        List<Object> segments = path.segments();
        for (int i = 0; i < segments.size(); i++) {
            Object segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            Object next = last ? null : segments.get(i + 1);
            if (segment instanceof String key) {
                if (!(container instanceof Map)) {
                    throw new IllegalArgumentException("'" + path.prefix(i) + "' is not a section");
                }
                Map<String, Object> map = (Map<String, Object>) container;
                if (last) {
                    if (value == null) {
                        map.remove(key);
                    } else {
                        map.put(key, value);
                    }
                    return;
                }
                Object child = map.get(key);
                if (child == null) {
                    child = next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<String, Object>();
                    map.put(key, child);
                }
                container = child;
            } else {
                int index = (Integer) segment;
                if (!(container instanceof List)) {
                    throw new IllegalArgumentException("'" + path.prefix(i) + "' is not a list");
                }
                List<Object> list = (List<Object>) container;
                if (index > list.size()) {
                    throw new IllegalArgumentException("'" + path.prefix(i) + "' has " + list.size()
                            + " entries; use index " + list.size() + " to add one");
                }
                if (index == list.size()) {
                    list.add(next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<String, Object>());
                }
                if (last) {
                    if (value == null) {
                        list.remove(index);
                    } else {
                        list.set(index, value);
                    }
                    return;
                }
                container = list.get(index);
            }
        }
    }
}
