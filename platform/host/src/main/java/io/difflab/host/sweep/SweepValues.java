package io.difflab.host.sweep;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How sweep values are shown, compared and turned into cell ids. */
final class SweepValues {

    private SweepValues() {
    }

    /** A value as a user would write it: {@code 1} for 1.0, {@code 0.5}, {@code ddim}, {@code [1, 2]}. */
    static String display(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString()
                    : Double.toString(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SweepValues::display).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }

    /** Whether {@code value} equals {@code expected}, numerically when both are numbers ({@code 0} = {@code 0.0}). */
    static boolean same(Object value, Object expected) {
        if (value == null || expected == null) {
            return value == expected;
        }
        Double a = number(value);
        Double b = number(expected);
        if (a != null && b != null) {
            return a.doubleValue() == b.doubleValue();
        }
        return display(value).equals(display(expected));
    }

    /**
     * The part of a cell id a value makes: a name as it is ({@code ddim}, a variant's name), a
     * number or list after the key's last segment ({@code scale3}, {@code steps25}, {@code seed0}).
     */
    static String idPart(String key, Object value, boolean variant) {
        String shown = display(value);
        String part = variant || value instanceof String && number(value) == null ? shown
                : key.substring(key.lastIndexOf('.') + 1) + shown.replace(", ", "-").replace("[", "").replace("]", "");
        return part.replaceAll("[^A-Za-z0-9.-]+", "-");
    }

    /** Nested maps as dotted keys ({@code {train: {steps: 5}}} is {@code train.steps: 5}); lists stay values. */
    static Map<String, Object> flatten(Map<?, ?> tree) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, Object> into) {
        tree.forEach((k, v) -> {
            String key = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
            if (v instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(key, nested, into);
            } else {
                into.put(key, v);
            }
        });
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
