package io.difflab.host.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key path into a spec, as users write it: {@code train.steps}, {@code metrics[0].name}.
 * Each segment is a key, optionally followed by list indices.
 */
public record KeyPath(List<Object> segments) {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    public KeyPath {
        segments = List.copyOf(segments);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static KeyPath parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("the key is empty");
        }
        List<Object> segments = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + Excerpt.of(text) + "' is not a key path (like train.steps or "
                        + "metrics[0].name)");
            }
            segments.add(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                segments.add(Integer.parseInt(index.group(1)));
            }
        }
        return new KeyPath(segments);
    }

    /** The first {@code n} segments. */
    public KeyPath prefix(int n) {
        return new KeyPath(segments.subList(0, n));
    }

    public int size() {
        return segments.size();
    }

    /** The path as users write it. */
    @Override
    public String toString() {
        return join(segments);
    }

    /** Joins {@code parent} and {@code key} ({@code train} + {@code steps}, {@code metrics} + {@code 0}). */
    public static String child(String parent, Object key) {
        if (key instanceof Integer i) {
            return parent + "[" + i + "]";
        }
        return parent.isEmpty() ? key.toString() : parent + "." + key;
    }

    private static String join(List<Object> segments) {
        String s = "";
        for (Object segment : segments) {
            s = child(s, segment);
        }
        return s;
    }
}
