package io.difflab.host.spec;

import io.difflab.api.Option;
import io.difflab.host.registry.Suggestions;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks one spec value against the {@link Option} it is for: its type, its range, its
 * choices. Returns the value in the form {@link io.difflab.api.Config} holds (Integer, Double,
 * Boolean, String, or an immutable list of them), or {@code null} after adding a problem.
 */
final class OptionValues {

    private OptionValues() { }

    static Object check(Option option, Object raw, String path, List<SpecProblem> problems) {
        return switch (option.type()) {
            case INT, DOUBLE, BOOLEAN, STRING -> scalar(option, option.type(), raw, path, problems);
            case INT_LIST -> list(option, Option.Type.INT, raw, path, problems);
            case DOUBLE_LIST -> list(option, Option.Type.DOUBLE, raw, path, problems);
            case STRING_LIST -> list(option, Option.Type.STRING, raw, path, problems);
        };
    }

    private static Object list(Option option, Option.Type element, Object raw, String path, List<SpecProblem> problems) {
        if (!(raw instanceof List<?> items)) {
            problems.add(new SpecProblem(path, "expected a list of " + noun(element) + "s, got " + describe(raw)));
            return null;
        }
        List<Object> values = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Object v = scalar(option, element, items.get(i), KeyPath.child(path, i), problems);
            ok &= v != null;
            values.add(v);
        }
        return ok ? List.copyOf(values) : null;
    }

    private static Object scalar(Option option, Option.Type type, Object raw, String path, List<SpecProblem> problems) {
        Object value = convert(type, raw);
        if (value == null) {
            problems.add(new SpecProblem(path, "expected " + article(type) + noun(type) + ", got " + describe(raw)));
            return null;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (option.min() != null && d < option.min()) {
                problems.add(new SpecProblem(path, "must be at least " + number(option.min()) + ", got " + describe(raw)));
                return null;
            }
            if (option.max() != null && d > option.max()) {
                problems.add(new SpecProblem(path, "must be at most " + number(option.max()) + ", got " + describe(raw)));
                return null;
            }
        }
        if (value instanceof String s && !option.choices().isEmpty() && !option.choices().contains(s)) {
            problems.add(new SpecProblem(path, "must be one of " + String.join(", ", option.choices())
                    + "; got '" + Excerpt.of(s) + "'" + Suggestions.didYouMean(s, option.choices())));
            return null;
        }
        return value;
    }

    /** {@code raw} as {@code type}, or {@code null} when it is not one. */
    private static Object convert(Option.Type type, Object raw) {
        return switch (type) {
            case INT -> raw instanceof Integer i ? i
                    : raw instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : null;
            case DOUBLE -> raw instanceof Number n && !(raw instanceof BigInteger) && Double.isFinite(n.doubleValue())
                    ? Double.valueOf(n.doubleValue()) : parseDouble(raw);
            case BOOLEAN -> raw instanceof Boolean b ? b : null;
            case STRING -> raw instanceof String s ? s : raw instanceof Number n ? n.toString() : null;
            default -> throw new IllegalArgumentException(type + " is not a scalar type");
        };
    }

    /** YAML 1.1 reads {@code 2e-4} (no dot) as a string: accept it as the number it means. */
    private static Double parseDouble(Object raw) {
        if (raw instanceof String s && s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    private static String noun(Option.Type type) {
        return switch (type) {
            case INT -> "integer";
            case DOUBLE -> "number";
            case BOOLEAN -> "boolean (true or false)";
            default -> "string";
        };
    }

    private static String article(Option.Type type) {
        return type == Option.Type.INT ? "an " : "a ";
    }

    /** A bound without a trailing {@code .0} when it is whole. */
    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** How a value appears in messages: strings quoted, sections and lists named. */
    static String describe(Object raw) {
        if (raw == null) {
            return "nothing (null)";
        }
        if (raw instanceof String s) {
            return "'" + Excerpt.of(s) + "' (a string)";
        }
        if (raw instanceof Map) {
            return "a section";
        }
        if (raw instanceof List<?> l) {
            return "a list " + Excerpt.of(l.toString());
        }
        if (raw instanceof byte[]) {
            return "binary data (!!binary)";
        }
        if (raw instanceof java.util.Date) {
            return "a date";
        }
        if (raw instanceof java.util.Set) {
            return "a set (!!set)";
        }
        return Excerpt.of(raw.toString());
    }
}
