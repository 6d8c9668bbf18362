package io.difflab.host.sweep;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.run.KillHook;
import io.difflab.host.run.TrackerSource;
import io.difflab.host.run.TrainedModel;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a sweep: a parent run in the tracker, then every cell that has not finished yet (one at
 * a time, or {@code parallel} at once), each a child run through a {@link CellExecutor}, sharing trainings by {@link io.difflab.host.run.TrainingKey}. What is done is
 * kept in {@code <runs>/<sweep>/sweep-state.yaml}: starting the same sweep again continues the same
 * parent run, skips finished cells and resumes the others from their last checkpoint.
 */
public final class SweepRunner {

    private final Optional<TrackerSource> trackers;

    @Inject
    public SweepRunner(Optional<TrackerSource> trackers) {
        this.trackers = trackers;
    }

    /**
     * Runs {@code sweep} with run folders under {@code runsDir}, {@code parallel} cells at once through
     * {@code executor}; returns every cell's result in cell order.
     */
    public List<CellResult> run(SweepSpec sweep, Path runsDir, int parallel, CellExecutor executor, PrintWriter log) {
        Path sweepDir = runsDir.resolve(sweep.name());
        try {
            Files.createDirectories(sweepDir);
        } catch (IOException e) {
            throw new UserError("cannot create " + sweepDir + ": " + e.getMessage(), e);
        }
        TrackerSource source = trackers.orElseThrow(() -> new IllegalStateException("no TrackerSource is bound"));
        try (SweepLock lock = SweepLock.acquire(sweepDir, sweep.name())) {
            SweepState state = SweepState.load(sweepDir);
            Tracker tracker = source.open(sweep.trackingUri());
            try {
                TrackedRun parent = parent(tracker, sweep, sweepDir, state, log);
                try (KillHook hook = new KillHook(parent)) {
                    List<CellResult> results = cells(sweep, runsDir, sweepDir, parallel, executor, state, tracker, parent,
                            log);
                    long failed = results.stream().filter(r -> r.status() == CellStatus.FAILED).count();
                    Map<String, String> tags = new LinkedHashMap<>();
                    tags.put("difflab.sweep.finished", Long.toString(results.stream()
                            .filter(r -> r.status() == CellStatus.FINISHED).count()));
                    tags.put("difflab.sweep.failed", Long.toString(failed));
                    parent.setTags(tags);
                    hook.finished();
                    parent.end(failed == 0 ? RunStatus.FINISHED : RunStatus.FAILED);
                    return results;
                } catch (RuntimeException | Error e) {
                    parent.setTags(Map.of("difflab.failure", String.valueOf(e.getMessage())));
                    parent.end(RunStatus.FAILED);
                    throw e;
                }
            } finally {
                if (tracker instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        log.println("tracker close: " + e);
                    }
                }
            }
        }
    }

    /**
     * The sweep's parent run: the one of an earlier start, continued, or a new one. Its id is kept in
     * the state and, like a run folder's, in {@code <sweep folder>/tracking-run-id}, so that a sweep
     * whose state was moved away still continues its parent run.
     */
    private static TrackedRun parent(Tracker tracker, SweepSpec sweep, Path sweepDir, SweepState state,
                                     PrintWriter log) {
        Optional<String> earlier = state.parentRunId().or(() -> io.difflab.host.run.RunRecord.idOf(sweepDir));
        if (earlier.isPresent()) {
            try {
                TrackedRun run = tracker.resumeRun(earlier.get());
                log.println("[sweep " + sweep.name() + "] continuing parent run " + run.id());
                if (state.parentRunId().isEmpty()) {
                    state.parentRunId(run.id());
                }
                return run;
            } catch (UserError gone) {
                log.println("[sweep " + sweep.name() + "] parent run " + earlier.get() + " cannot be continued ("
                        + gone.getMessage() + "): starting a new one");
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("difflab.sweep", sweep.name());
        tags.put("difflab.sweep.file", sweep.file().toString());
        tags.put("difflab.sweep.cells", Integer.toString(sweep.runnable().size()));
        tags.put("difflab.sweep.skipped", Integer.toString(sweep.cells().size() - sweep.runnable().size()));
        tags.put("difflab.sweep.trainings", Long.toString(sweep.trainings()));
        tags.put("difflab.sweep.axes", String.join(",", sweep.sweptKeys()));
        tags.put("mlflow.source.name", sweep.file().toString());
        tags.put("mlflow.source.type", "LOCAL");
        TrackedRun run = tracker.startRun(sweep.experiment(), sweep.name(), null, tags);
        run.logArtifact(sweep.file(), "");
        state.parentRunId(run.id());
        try {
            Files.writeString(sweepDir.resolve(io.difflab.host.run.RunRecord.FILE), run.id() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the parent run in " + sweepDir, e);
        }
        log.println("[sweep " + sweep.name() + "] parent run " + run.id() + " in " + tracker.location());
        return run;
    }

    private List<CellResult> cells(SweepSpec sweep, Path runsDir, Path sweepDir, int parallel, CellExecutor executor,
                                   SweepState state, Tracker tracker, TrackedRun parent, PrintWriter log) {
        Map<SweepCell, CellResult> done = new LinkedHashMap<>();
        List<SweepCell> todo = new ArrayList<>();
        for (SweepCell cell : sweep.cells()) {
            if (cell.skipped()) {
                done.put(cell, new CellResult(cell, CellStatus.SKIPPED, 0, null, null, Map.of(), null));
            } else if (CellRunner.finishedBefore(cell, state, sweepDir)) {
                Path dir = CellRunner.folderOf(cell, state, sweepDir).orElseThrow();
                if (state.cell(cell.id()).isEmpty()) { // found in its folder: recorded again
                    state.put(cell.id(), new SweepState.Cell(dir.toString(), CellStatus.FINISHED, 0, null));
                }
                done.put(cell, new CellResult(cell, CellStatus.FINISHED, 0, dir,
                        io.difflab.host.run.RunRecord.idOf(dir).orElse(null), CellRunner.results(dir), null));
            } else {
                todo.add(cell);
            }
        }
        Set<String> toTrain = new HashSet<>();
        todo.forEach(c -> {
            if (TrainedModel.find(runsDir, c.trainingKey()).isEmpty()) {
                toTrain.add(c.trainingKey());
            }
        });
        log.println("[sweep " + sweep.name() + "] " + sweep.cells().size() + " cells: " + todo.size() + " to run ("
                + toTrain.size() + " to train), " + (sweep.runnable().size() - todo.size()) + " finished before, "
                + (sweep.cells().size() - sweep.runnable().size()) + " skipped; state in "
                + sweepDir.resolve(SweepState.FILE));
        log.flush();
        SweepProgress progress = new SweepProgress(log, sweep.name(), todo.size(), toTrain.size(), parallel,
                System::nanoTime);
        List<SweepCell> order = parallel > 1 ? trainersFirst(todo) : todo;
        CellRunner runner = new CellRunner(sweep, sweepDir, executor, tracker, parent.id(), state,
                new TrainingShares(runsDir, order), progress);
        Map<SweepCell, Integer> ordinals = new LinkedHashMap<>();
        todo.forEach(c -> ordinals.put(c, ordinals.size() + 1));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "sweep-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CellResult>> futures = new ArrayList<>();
            for (SweepCell cell : order) {
                futures.add(pool.submit(() -> runner.run(cell, ordinals.get(cell))));
            }
            for (Future<CellResult> f : futures) {
                CellResult r = f.get();
                done.put(r.cell(), r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("the sweep was interrupted: start it again to continue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } finally {
            pool.shutdownNow();
        }
        List<CellResult> ordered = new ArrayList<>(done.values());
        ordered.sort(Comparator.comparingInt(r -> r.cell().index()));
        return ordered;
    }

    /** The first cell of each training key, then the rest: with several at once, the trainings start first. */
    static List<SweepCell> trainersFirst(List<SweepCell> cells) {
        Set<String> seen = new HashSet<>();
        List<SweepCell> first = new ArrayList<>();
        List<SweepCell> rest = new ArrayList<>();
        for (SweepCell c : cells) {
            (seen.add(c.trainingKey()) ? first : rest).add(c);
        }
        first.addAll(rest);
        return first;
    }
}
