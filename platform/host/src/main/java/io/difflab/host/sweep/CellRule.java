package io.difflab.host.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule of a sweep file: a cell matching every key of {@code when} is skipped ({@code skip:}) or
 * gets {@code set} on top of its values ({@code cells:}). A key is a variant axis (matching the
 * variant's name) or a spec key path (matching the cell's value: swept, set, or from its base
 * spec). A pattern is a value, {@code "!value"} for any other value, or a list of alternatives.
 *
 * @param path where the rule is in the sweep file ({@code skip[0]}, {@code cells[1]})
 * @param when the keys and patterns to match
 * @param set  the overrides of a matching cell (empty for a skip rule)
 */
record CellRule(String path, Map<String, Object> when, Map<String, Object> set) {

    CellRule {
        when = Collections.unmodifiableMap(new LinkedHashMap<>(when));
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    /** Whether the cell seen through {@code view} matches every key. */
    boolean matches(CellView view) {
        return when.entrySet().stream().allMatch(e -> matches(view.get(e.getKey()), e.getValue()));
    }

    /** The rule as written, for messages ({@code method=none, guidance.scale=!0}). */
    String describe() {
        StringBuilder s = new StringBuilder();
        when.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(SweepValues.display(v)));
        return s.toString();
    }

    static boolean matches(Object value, Object pattern) {
        if (pattern instanceof List<?> alternatives) {
            return alternatives.stream().anyMatch(p -> matches(value, p));
        }
        if (pattern instanceof String s && s.startsWith("!")) {
            return !matches(value, parse(s.substring(1)));
        }
        return SweepValues.same(value, pattern);
    }

    private static Object parse(String text) {
        String t = text.strip();
        return t.equals("null") || t.equals("~") ? null : t;
    }
}
