package io.difflab.host.sweep;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.host.run.RunArtifacts;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunRecord;
import io.difflab.host.run.TrainedModel;
import io.difflab.host.run.TrainingKey;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.FakeExtensions;
import io.difflab.host.spec.SpecResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep runner with cells that do no real work: who trains, who shares, retries, the parent and
 * child runs, and a second start (the real pipeline end to end: SweepIT in the cli module).
 */
class SweepRunnerTest {

    private static final String SWEEP = """
            base: ../gd.yaml
            variants:
              m:
                a: {}
                b: {seed: 5}
            axes: {guidance.scale: [1, 2]}
            """;

    @TempDir
    Path dir;

    private final FakeTracker tracker = new FakeTracker();
    private final SweepRunner runner = new SweepRunner(Optional.of(uri -> tracker));
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final StringWriter log = new StringWriter();

    /** One attempt: a tracked child like RunRecord's, a finished training when it trained, results; fails for {@code failing}. */
    private CellExecutor cells(Set<String> failing, Set<String> trainingFails, long trainMillis) {
        return (ExperimentSpec spec, RunOptions o) -> {
            calls.add(spec.name() + (o.trainedFrom() == null ? " trains" : " from " + o.trainedFrom().getFileName()
                    .toString().replaceAll("-\\d{8}-\\d{6}", "")) + (o.resume() ? " resumed" : ""));
            try {
                Optional<String> id = RunRecord.idOf(o.runDir());
                TrackedRun run = id.isPresent() ? tracker.resumeRun(id.get())
                        : tracker.startRun("x", o.runDir().getFileName().toString(), o.parentRunId(), o.tags());
                Files.writeString(o.runDir().resolve(RunRecord.FILE), run.id());
                if (o.trainedFrom() == null && !trainingFails.contains(spec.name())) {
                    Thread.sleep(trainMillis);
                    Path step = Files.createDirectories(o.runDir().resolve("checkpoints/step-00000001"));
                    for (String f : List.of("model.ndlist", "ema.ndlist", "optimizer.ndlist", "state.properties")) {
                        Files.writeString(step.resolve(f), f); // a checkpoint counts once all four files are there
                    }
                    TrainedModel.record(o.runDir(), TrainingKey.of(spec, FakeExtensions.standard().registry()));
                }
                if (failing.contains(spec.name()) || trainingFails.contains(spec.name())) {
                    run.end(RunStatus.FAILED);
                    return "boom in " + spec.name();
                }
                Files.writeString(o.runDir().resolve(RunArtifacts.RESULTS), "eval.fd=" + spec.guidance()
                        .getDouble("scale") + "\n");
                run.end(RunStatus.FINISHED);
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private SweepSpec sweep() throws IOException {
        Files.createDirectories(dir.resolve("sweeps"));
        Files.writeString(dir.resolve("gd.yaml"), "model: {name: gd}\ndataset: {name: fashion-mnist}\n"
                + "guidance: {name: classifier}\n");
        Files.writeString(dir.resolve("sweeps/s.yaml"), SWEEP);
        return new SweepResolver(new SpecResolver(FakeExtensions.standard().registry())).resolve(dir.resolve("sweeps/s.yaml"));
    }

    private List<CellResult> run(SweepSpec sweep, int parallel, CellExecutor cells) {
        return runner.run(sweep, dir.resolve("runs"), parallel, cells, new PrintWriter(log, true));
    }

    private static List<String> statuses(List<CellResult> results) {
        return results.stream().map(r -> r.cell().id() + " " + r.status() + " " + r.attempts()).toList();
    }

    @Test
    void theFirstCellOfAKeyTrainsTheOthersStartFromItAFailureIsRetriedOnceAndASecondStartSkipsFinishedCells()
            throws IOException {
        SweepSpec sweep = sweep();
        List<CellResult> results = run(sweep, 1, cells(Set.of("b_scale2"), Set.of(), 0));
        assertEquals(List.of("a_scale1 trains", "a_scale2 from a_scale1", "b_scale1 trains", "b_scale2 from b_scale1",
                "b_scale2 from b_scale1 resumed"), calls);
        assertEquals(List.of("a_scale1 FINISHED 1", "a_scale2 FINISHED 1", "b_scale1 FINISHED 1", "b_scale2 FAILED 2"),
                statuses(results));
        assertEquals(2.0, results.get(1).results().get("eval.fd"));
        assertEquals("boom in b_scale2", results.get(3).failure());

        FakeTracker.Run parent = tracker.runs.get("run1");
        assertNull(parent.parent);
        assertEquals("s", parent.tags.get("difflab.sweep"));
        assertEquals("4", parent.tags.get("difflab.sweep.cells"));
        assertEquals("2", parent.tags.get("difflab.sweep.trainings"));
        assertEquals("m,guidance.scale", parent.tags.get("difflab.sweep.axes"));
        assertEquals(RunStatus.FAILED, parent.status, "a cell failed");
        assertEquals(5, tracker.runs.size(), "the parent and one child per cell: the retry continued its run");
        for (FakeTracker.Run child : tracker.runs.values()) {
            if (child != parent) {
                assertEquals("run1", child.parent);
                assertNotNull(child.tags.get("difflab.sweep.cell"));
            }
        }
        FakeTracker.Run failed = tracker.runs.get(results.get(3).runId());
        assertEquals("2", failed.tags.get("sweep.guidance.scale"));
        assertEquals("b", failed.tags.get("sweep.m"));
        assertEquals(RunStatus.FAILED, failed.status);
        assertEquals(1, failed.resumes);
        assertTrue(log.toString().contains("cell 4/4 b_scale2: attempt 1 failed (boom in b_scale2); retrying"), log.toString());

        calls.clear();
        List<CellResult> again = run(sweep, 1, cells(Set.of(), Set.of(), 0));
        assertEquals(List.of("b_scale2 from b_scale1 resumed"), calls, "only the unfinished cell, in its own folder");
        assertEquals(List.of("a_scale1 FINISHED 0", "a_scale2 FINISHED 0", "b_scale1 FINISHED 0", "b_scale2 FINISHED 1"),
                statuses(again));
        assertEquals(results.get(3).runDir(), again.get(3).runDir());
        assertEquals(5, tracker.runs.size(), "no new run: the same parent, the same children");
        assertEquals(1, parent.resumes);
        assertEquals(RunStatus.FINISHED, parent.status);
    }

    @Test
    void aDamagedStateIsNamedAndLeftAloneAndOnceMovedAwayTheSweepContinuesFromItsRunFolders() throws IOException {
        SweepSpec sweep = sweep();
        List<CellResult> first = run(sweep, 1, cells(Set.of("b_scale2"), Set.of(), 0));
        Path state = dir.resolve("runs/s/sweep-state.yaml");
        String good = Files.readString(state);
        List<String> damages = List.of("", "cells: [a_scale1", good.substring(0, good.indexOf("attempts:")),
                good.replaceFirst("FINISHED", "FINI"), "parent_run_id: run1\ncells: {a_scale1: 3}\n");
        for (String damaged : damages) {
            Files.writeString(state, damaged);
            calls.clear();
            io.difflab.api.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.difflab.api.UserError.class,
                    () -> run(sweep, 1, cells(Set.of(), Set.of(), 0)));
            assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("is damaged")
                    && e.getMessage().contains("Move it away"), e.getMessage());
            assertEquals(List.of(), calls, "nothing runs on a damaged state");
            assertEquals(damaged, Files.readString(state), "the damaged state is left as it was");
        }
        assertEquals(5, tracker.runs.size(), "and nothing was tracked");

        Files.move(state, state.resolveSibling("sweep-state.yaml.damaged"));
        calls.clear();
        List<CellResult> again = run(sweep, 1, cells(Set.of(), Set.of(), 0));
        assertEquals(List.of("b_scale2 from b_scale1 resumed"), calls,
                "only the unfinished cell runs, continuing in its own folder; the finished ones are found in theirs");
        assertEquals(List.of("a_scale1 FINISHED 0", "a_scale2 FINISHED 0", "b_scale1 FINISHED 0", "b_scale2 FINISHED 1"),
                statuses(again));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).runDir(), again.get(i).runDir());
        }
        assertEquals(5, tracker.runs.size(), "the same parent run continued, no new child");
        assertEquals(1, tracker.runs.get("run1").resumes);
        assertTrue(Files.readString(state).contains("parent_run_id: run1"), "a new state, rebuilt");
    }

    @Test
    void aStateTornAtALineEndLosesNothing() throws IOException {
        SweepSpec sweep = sweep();
        run(sweep, 1, cells(Set.of("b_scale2"), Set.of(), 0));
        Path state = dir.resolve("runs/s/sweep-state.yaml");
        String good = Files.readString(state);
        Files.writeString(state, good.substring(0, good.indexOf("  b_scale1:"))); // the last two cells lost
        calls.clear();
        List<CellResult> again = run(sweep, 1, cells(Set.of(), Set.of(), 0));
        assertEquals(List.of("b_scale2 from b_scale1 resumed"), calls, "the lost cells are found in their folders");
        assertEquals(4, again.stream().filter(r -> r.status() == CellStatus.FINISHED).count());
        assertEquals(5, tracker.runs.size());
    }

    @Test
    void cellsAtOnceStillTrainEachKeyOnce() throws IOException {
        List<CellResult> results = run(sweep(), 3, cells(Set.of(), Set.of(), 300));
        assertEquals(4, results.stream().filter(r -> r.status() == CellStatus.FINISHED).count(), log.toString());
        assertEquals(2, calls.stream().filter(c -> c.endsWith("trains")).count(), calls.toString());
        assertTrue(calls.contains("a_scale2 from a_scale1") && calls.contains("b_scale2 from b_scale1"), calls.toString());
        assertTrue(log.toString().contains("waits for the training of cell"), log.toString());
    }

    @Test
    void whenTheSharedTrainingFailsItsOtherCellsFailWithoutRunning() throws IOException {
        List<CellResult> results = run(sweep(), 1, cells(Set.of(), Set.of("a_scale1"), 0));
        assertEquals(List.of("a_scale1 FAILED 2", "a_scale2 FAILED 0", "b_scale1 FINISHED 1", "b_scale2 FINISHED 1"),
                statuses(results));
        assertTrue(results.get(1).failure().contains("the training it shares") && results.get(1).failure()
                .contains("failed in cell a_scale1"), results.get(1).failure());
        assertEquals(List.of("a_scale1 trains", "a_scale1 trains resumed", "b_scale1 trains", "b_scale2 from b_scale1"),
                calls);
        FakeTracker.Run untracked = tracker.runs.get(results.get(1).runId());
        assertEquals(RunStatus.FAILED, untracked.status, "a cell that never ran still has its FAILED child");
        assertEquals("run1", untracked.parent);
        assertTrue(untracked.tags.get("difflab.failure").contains("the training it shares"));
        assertEquals("2.0", untracked.params.get("guidance.scale"), "with the params of its spec");
    }
}
