package io.difflab.host.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated sweep: every cell expanded, every cell that runs resolved into a valid spec.
 * Built by {@link SweepResolver}.
 *
 * @param name       the sweep's name: its folder under the runs folder and its parent run's name
 * @param experiment the MLflow experiment of the parent run and every cell
 * @param file       the sweep file
 * @param sweptKeys  the swept keys, in file order (the columns of the cell table)
 * @param cells      every cell, skipped ones included, in expansion order
 */
public record SweepSpec(String name, String experiment, Path file, List<String> sweptKeys, List<SweepCell> cells) {

    public SweepSpec {
        sweptKeys = List.copyOf(sweptKeys);
        cells = List.copyOf(cells);
    }

    /** The cells that run. */
    public List<SweepCell> runnable() {
        return cells.stream().filter(c -> !c.skipped()).toList();
    }

    /** Where the cells are tracked ({@code tracking.uri}, the same for every cell). */
    public String trackingUri() {
        return runnable().get(0).spec().tracking().uri();
    }

    /** How many distinct trainings the runnable cells need. */
    public long trainings() {
        return runnable().stream().map(SweepCell::trainingKey).distinct().count();
    }
}
