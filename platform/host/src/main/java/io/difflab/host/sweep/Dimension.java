package io.difflab.host.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dimension of a sweep's grid: a variant axis (named bundles of overrides), a grid axis over
 * one spec key, a zip group (keys advanced together) or the seeds. Cells are the cartesian
 * product of the dimensions, in the order the sweep file gives them.
 *
 * @param keys   the swept keys this dimension shows (a variant axis's name, spec key paths, {@code seed})
 * @param points its values
 */
record Dimension(List<String> keys, List<Point> points) {

    Dimension {
        keys = List.copyOf(keys);
        points = List.copyOf(points);
    }

    /**
     * One value of a dimension.
     *
     * @param swept     what it sets, as shown in tables and tags (swept key to display value)
     * @param overrides the spec values it sets (key path to YAML value; {@code null} removes a key)
     * @param idParts   its part of the cell id, one per swept key
     * @param base      the base spec it brings (a variant's own {@code base}), or {@code null}
     * @param variant   whether it is a named variant (rules match it by name)
     */
    record Point(Map<String, String> swept, Map<String, Object> overrides, List<String> idParts, Path base,
                 boolean variant) {

        Point {
            swept = Collections.unmodifiableMap(new LinkedHashMap<>(swept));
            overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
            idParts = List.copyOf(idParts);
        }
    }
}
