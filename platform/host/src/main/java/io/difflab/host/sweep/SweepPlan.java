package io.difflab.host.sweep;

import io.difflab.host.run.TrainedModel;
import io.difflab.host.run.TrainingKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code difflab sweep --dry-run} shows: per cell, its training (trained by which cell, or
 * found finished under the runs folder) and whether it will run, was finished before or is skipped.
 *
 * @param cell     the cell
 * @param training how its model comes about ({@code trains}, {@code shares #3}, {@code trained in <folder>})
 * @param status   {@code run}, {@code finished} (in an earlier start) or {@code skipped: <rule>}
 */
public record SweepPlan(SweepCell cell, String training, String status) {

    /** The plan of {@code sweep} with run folders under {@code runsDir}. */
    public static List<SweepPlan> of(SweepSpec sweep, Path runsDir) {
        SweepState state = SweepState.load(runsDir.resolve(sweep.name()));
        Map<String, Integer> trainer = new HashMap<>();
        Map<String, Optional<Path>> found = new HashMap<>();
        List<SweepPlan> plan = new ArrayList<>();
        for (SweepCell cell : sweep.cells()) {
            if (cell.skipped()) {
                plan.add(new SweepPlan(cell, "-", "skipped: " + cell.skippedBy()));
                continue;
            }
            String key = cell.trainingKey();
            Optional<Path> finished = found.computeIfAbsent(key, k -> TrainedModel.find(runsDir, k));
            String training = TrainingKey.shortForm(key) + " " + (finished.isPresent()
                    ? "trained in " + runsDir.relativize(finished.get())
                    : trainer.containsKey(key) ? "shares #" + trainer.get(key) : "trains");
            trainer.putIfAbsent(key, cell.index());
            plan.add(new SweepPlan(cell, training, CellRunner.finishedBefore(cell, state, runsDir.resolve(sweep.name())) ? "finished" : "run"));
        }
        return plan;
    }
}
