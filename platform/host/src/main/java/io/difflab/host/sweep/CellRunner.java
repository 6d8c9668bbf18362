package io.difflab.host.sweep;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.run.RunArtifacts;
import io.difflab.host.run.RunFolders;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunRecord;
import io.difflab.host.run.TrainedModel;
import io.difflab.host.run.TrainingKey;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Runs one cell of a sweep: in its own run folder (the one of an earlier, unfinished start when
 * its spec is unchanged), as a child of the sweep's parent run, trained or started from the
 * finished training of its key, retried once (continuing from its last checkpoint) when it fails.
 */
final class CellRunner {

    /** A cell runs at most this many times per start of the sweep. */
    static final int ATTEMPTS = 2;

    private final SweepSpec sweep;
    private final Path sweepDir;
    private final CellExecutor executor;
    private final Tracker tracker;
    private final String parentRunId;
    private final SweepState state;
    private final TrainingShares shares;
    private final SweepProgress progress;

    CellRunner(SweepSpec sweep, Path sweepDir, CellExecutor executor, Tracker tracker, String parentRunId,
               SweepState state, TrainingShares shares, SweepProgress progress) {
        this.sweep = sweep;
        this.sweepDir = sweepDir;
        this.executor = executor;
        this.tracker = tracker;
        this.parentRunId = parentRunId;
        this.state = state;
        this.shares = shares;
        this.progress = progress;
    }

    /**
     * Whether {@code cell} finished in an earlier start, with the spec it has now: so recorded in the
     * state, or (a state moved away) its newest run folder in {@code sweepDir} holds a finished run.
     */
    static boolean finishedBefore(SweepCell cell, SweepState state, Path sweepDir) {
        Optional<SweepState.Cell> recorded = state.cell(cell.id());
        if (recorded.isPresent() && recorded.get().status() != CellStatus.FINISHED) {
            return false;
        }
        return folderOf(cell, state, sweepDir).filter(dir -> Files.isRegularFile(dir.resolve(RunArtifacts.RESULTS)))
                .isPresent();
    }

    /**
     * The run folder of an earlier start of {@code cell} with the spec it has now: the state's, or
     * when the state has no record of the cell (it was moved away), the newest folder of the cell
     * in {@code sweepDir}.
     */
    static Optional<Path> folderOf(SweepCell cell, SweepState state, Path sweepDir) {
        Optional<SweepState.Cell> recorded = state.cell(cell.id());
        Optional<Path> dir = recorded.isPresent()
                ? Optional.ofNullable(recorded.get().runDir()).map(Path::of)
                : new RunFolders(sweepDir).latest(cell.id());
        return dir.filter(d -> sameSpec(d, cell));
    }

    CellResult run(SweepCell cell, int ordinal) throws InterruptedException {
        long start = progress.now();
        Optional<Path> earlier = folderOf(cell, state, sweepDir);
        Path runDir = earlier.orElseGet(() -> newFolder(cell));
        boolean continuing = earlier.isPresent();
        if (state.cell(cell.id()).isEmpty() || !continuing) {
            // recorded at once: a sweep stopped while this cell waits continues in this folder
            state.put(cell.id(), new SweepState.Cell(runDir.toString(), CellStatus.PENDING, 0, null));
        }
        boolean ownTraining = TrainedModel.keyOf(runDir).filter(cell.trainingKey()::equals).isPresent();
        Optional<Path> from = Optional.empty();
        boolean trains = false;
        if (!ownTraining) {
            shares.trainer(cell.trainingKey()).filter(t -> !t.equals(cell.id()))
                    .filter(t -> TrainedModel.find(sweepDir.getParent(), cell.trainingKey()).isEmpty())
                    .ifPresent(t -> progress.note(ordinal, cell, "waits for the training of cell " + t));
            try {
                from = shares.source(cell);
            } catch (UserError e) {
                return failed(cell, ordinal, runDir, 0, e.getMessage(), start, false);
            }
            trains = from.isEmpty();
        }
        boolean checkpointed = new io.difflab.kit.train.CheckpointStore(runDir.resolve("checkpoints"), 1).latest()
                .isPresent();
        progress.started(ordinal, cell, ownTraining ? "its model is trained: samples and evaluates"
                : trains ? (continuing && checkpointed ? "continues training from its last checkpoint"
                : "trains the model") + " (training key " + TrainingKey.shortForm(cell.trainingKey()) + ")"
                : "starts from the model trained in " + from.get() + " (no training)");
        String failure = null;
        int attempts = 0;
        try {
            while (attempts < ATTEMPTS) {
                attempts++;
                state.put(cell.id(), new SweepState.Cell(runDir.toString(), CellStatus.RUNNING, attempts, failure));
                failure = attempt(cell, runDir, continuing || attempts > 1, from.orElse(null));
                if (failure == null) {
                    break;
                }
                if (attempts < ATTEMPTS) {
                    progress.note(ordinal, cell, "attempt " + attempts + " failed (" + failure + "); retrying");
                }
            }
        } finally {
            if (trains) {
                shares.ended(cell, runDir);
            }
        }
        if (failure != null) {
            return failed(cell, ordinal, runDir, attempts, failure, start, trains);
        }
        state.put(cell.id(), new SweepState.Cell(runDir.toString(), CellStatus.FINISHED, attempts, null));
        Map<String, Double> results = results(runDir);
        progress.ended(ordinal, cell, CellStatus.FINISHED, trains, progress.now() - start, "");
        return new CellResult(cell, CellStatus.FINISHED, attempts, runDir, RunRecord.idOf(runDir).orElse(null),
                results, null);
    }

    /** One run of the cell; its failure, or {@code null}. */
    private String attempt(SweepCell cell, Path runDir, boolean resume, Path from) {
        String failure = executor.run(cell.spec(), new RunOptions(runDir, resume, sweep.file(), parentRunId,
                tags(cell), from));
        if (failure != null) {
            recordUntracked(cell, runDir, failure);
        }
        return failure;
    }

    private CellResult failed(SweepCell cell, int ordinal, Path runDir, int attempts, String failure, long start,
                              boolean trained) {
        recordUntracked(cell, runDir, failure);
        state.put(cell.id(), new SweepState.Cell(runDir.toString(), CellStatus.FAILED, attempts, failure));
        progress.ended(ordinal, cell, CellStatus.FAILED, trained, progress.now() - start, failure);
        return new CellResult(cell, CellStatus.FAILED, attempts, runDir, RunRecord.idOf(runDir).orElse(null),
                Map.of(), failure);
    }

    /** A cell that failed before its run was tracked (say, its data could not load) still gets a FAILED child. */
    private void recordUntracked(SweepCell cell, Path runDir, String failure) {
        if (RunRecord.idOf(runDir).isPresent()) {
            return;
        }
        Map<String, String> tags = new LinkedHashMap<>(tags(cell));
        tags.put("difflab.failure", failure);
        TrackedRun run = tracker.startRun(sweep.experiment(), runDir.getFileName().toString(), parentRunId, tags);
        run.logParams(cell.spec().flatten());
        try {
            Files.writeString(runDir.resolve(RunRecord.FILE), run.id() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the tracked run in " + runDir, e);
        }
        run.end(RunStatus.FAILED);
    }

    /** The child's tags: the sweep, the cell, and every swept value ({@code sweep.guidance.scale=3}). */
    Map<String, String> tags(SweepCell cell) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("difflab.sweep", sweep.name());
        tags.put("difflab.sweep.cell", cell.id());
        tags.put("difflab.sweep.index", Integer.toString(cell.index()));
        cell.swept().forEach((k, v) -> tags.put("sweep." + k, v));
        return tags;
    }

    private Path newFolder(SweepCell cell) {
        Path dir = new RunFolders(sweepDir).create(cell.id(), LocalDateTime.now());
        try {
            Files.writeString(dir.resolve(RunFolders.SPEC_FILE), cell.spec().toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the spec into " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private static boolean sameSpec(Path runDir, SweepCell cell) {
        try {
            Path spec = runDir.resolve(RunFolders.SPEC_FILE);
            return Files.isRegularFile(spec) && Files.readString(spec, StandardCharsets.UTF_8)
                    .equals(cell.spec().toYaml());
        } catch (IOException e) {
            return false;
        }
    }

    /** The final results a finished run wrote. */
    static Map<String, Double> results(Path runDir) {
        Map<String, Double> results = new LinkedHashMap<>();
        Path file = runDir.resolve(RunArtifacts.RESULTS);
        if (!Files.isRegularFile(file)) {
            return results;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            new java.util.TreeMap<>(p).forEach((k, v) -> {
                try {
                    results.put(String.valueOf(k), Double.parseDouble(String.valueOf(v)));
                } catch (NumberFormatException e) {
                    // not a number: not a result
                }
            });
        } catch (IOException e) {
            // no results to show
        }
        return results;
    }
}
