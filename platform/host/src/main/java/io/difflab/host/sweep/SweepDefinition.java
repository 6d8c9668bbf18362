package io.difflab.host.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep file as read, before its cells are expanded (see {@link SweepReader} for the format).
 *
 * @param name       the sweep's name (its runs folder and parent run)
 * @param experiment the MLflow experiment of the parent and every cell
 * @param file       the sweep file
 * @param base       the base spec of every cell, or {@code null} when each variant brings its own
 * @param set        overrides for every cell
 * @param dimensions variant axes, grid axes, zip groups and seeds, in file order
 * @param skip       the skip rules
 * @param cells      the per-cell override rules
 */
record SweepDefinition(String name, String experiment, Path file, Path base, Map<String, Object> set,
                       List<Dimension> dimensions, List<CellRule> skip, List<CellRule> cells) {

    SweepDefinition {
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        dimensions = List.copyOf(dimensions);
        skip = List.copyOf(skip);
        cells = List.copyOf(cells);
    }
}
