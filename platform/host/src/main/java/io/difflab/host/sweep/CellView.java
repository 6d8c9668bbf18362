package io.difflab.host.sweep;

import java.util.List;
import java.util.Map;

/**
 * A cell's values as rules see them: its variants by axis name, its overrides by key path, and
 * for any other key the value in its base spec (where {@code sampler: ddim} means
 * {@code sampler.name: ddim}).
 *
 * @param variants  variant axis name to the variant's name
 * @param overrides the cell's overrides so far, key path to value
 * @param base      the base spec as loaded
 */
record CellView(Map<String, String> variants, Map<String, Object> overrides, Map<String, Object> base) {

    /** The value at {@code key}, or {@code null}. */
    Object get(String key) {
        if (variants.containsKey(key)) {
            return variants.get(key);
        }
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        return at(base, List.of(key.split("\\.")));
    }

    /** Whether some cell could match {@code key}: a variant axis, an override or a key of the base. */
    boolean knows(String key) {
        return variants.containsKey(key) || overrides.containsKey(key) || at(base, List.of(key.split("\\."))) != null;
    }

    private static Object at(Object tree, List<String> path) {
        Object node = tree;
        for (String segment : path) {
            if (node instanceof String name && segment.equals("name")) {
                return name; // the shorthand sampler: ddim
            }
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(segment);
        }
        return node;
    }
}
