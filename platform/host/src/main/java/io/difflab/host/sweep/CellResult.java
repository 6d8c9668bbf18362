package io.difflab.host.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one cell of a sweep ended.
 *
 * @param cell     the cell
 * @param status   FINISHED, FAILED or SKIPPED
 * @param attempts how many times it ran in this start of the sweep (0: finished before, or skipped)
 * @param runDir   its run folder, or {@code null} when skipped
 * @param runId    its tracked run, or {@code null}
 * @param results  its final results ({@code results.properties}), empty unless finished
 * @param failure  why it failed, or {@code null}
 */
public record CellResult(SweepCell cell, CellStatus status, int attempts, Path runDir, String runId,
                         Map<String, Double> results, String failure) {

    public CellResult {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }
}
