package io.difflab.api;

import java.util.List;
import java.util.Objects;

/**
 * One key an extension accepts in its spec section, with its type, default and valid range.
 * Spec validation checks every value against these before anything runs.
 *
 * @param key          the key within the section, lower-case with underscores
 * @param type         the value's type
 * @param defaultValue the value when the spec omits the key; {@code null} means required
 * @param min          inclusive lower bound for numbers (or list elements), or {@code null}
 * @param max          inclusive upper bound for numbers (or list elements), or {@code null}
 * @param choices      the allowed strings for {@link Type#STRING}; empty means any
 * @param description  one line for help and error messages
 */
public record Option(String key, Type type, Object defaultValue, Double min, Double max,
                     List<String> choices, String description) {

    /** The value types a spec can hold. */
    public enum Type { INT, DOUBLE, BOOLEAN, STRING, INT_LIST, DOUBLE_LIST, STRING_LIST }

    public Option {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
        description = description == null ? "" : description;
    }

    /** An integer option within [min, max]. */
    public static Option integer(String key, int defaultValue, int min, int max, String description) {
        return new Option(key, Type.INT, defaultValue, (double) min, (double) max, List.of(), description);
    }

    /** A real-valued option within [min, max]. */
    public static Option real(String key, double defaultValue, double min, double max, String description) {
        return new Option(key, Type.DOUBLE, defaultValue, min, max, List.of(), description);
    }

    /** A boolean option. */
    public static Option bool(String key, boolean defaultValue, String description) {
        return new Option(key, Type.BOOLEAN, defaultValue, null, null, List.of(), description);
    }

    /** A string option restricted to {@code choices} (any string when none are given). */
    public static Option choice(String key, String defaultValue, List<String> choices, String description) {
        return new Option(key, Type.STRING, defaultValue, null, null, choices, description);
    }

    /** A list of integers, each within [min, max]. */
    public static Option intList(String key, List<Integer> defaultValue, int min, int max, String description) {
        return new Option(key, Type.INT_LIST, defaultValue, (double) min, (double) max, List.of(), description);
    }

    /** A list of reals, each within [min, max]. */
    public static Option realList(String key, List<Double> defaultValue, double min, double max,
                                  String description) {
        return new Option(key, Type.DOUBLE_LIST, defaultValue, min, max, List.of(), description);
    }

    /** A list of strings, each one of {@code choices} when given. */
    public static Option stringList(String key, List<String> defaultValue, List<String> choices,
                                    String description) {
        return new Option(key, Type.STRING_LIST, defaultValue, null, null, choices, description);
    }

    /** Whether the spec must give this key. */
    public boolean required() {
        return defaultValue == null;
    }
}
