package io.difflab.spark;

import io.difflab.tracking.remote.FakeRun;
import io.difflab.tracking.remote.MlflowContractServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab sweep --master spark://...} through a real Spark standalone master and two workers
 * on 127.0.0.1, recording to the MLflow contract server: every cell is a child run of the parent,
 * the four cells share one training, a restart continues the sweep, and a worker killed in the
 * middle of the training leaves every cell run (to completion) exactly once.
 */
class StandaloneSweepIT {

    private static final Pattern EXECUTOR_PID =
            Pattern.compile("\\[spark] attempt \\d+ of Spark task \\d+ on .* \\(pid (\\d+)\\)");

    @TempDir
    Path work;

    private String[] sweep(String file, StandaloneCluster cluster) {
        return new String[] {"sweep", file, "--master", cluster.masterUrl(), "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.memory=512m",
            // two cells in flight, given: sized from the registered executors, a loaded machine may count
            // one before the second worker's executor joins
            "--parallel", "2"};
    }

    @Test
    void fourCellsShareOneTrainingOnTwoWorkersAsChildRunsAndARestartContinuesTheSweep() throws Exception {
        TinySweep.write(work, "cluster-sweep", 12, 4);
        try (MlflowContractServer mlflow = MlflowContractServer.started();
             StandaloneCluster cluster = StandaloneCluster.start(Driver.ADD_ON, work, 2)) {
            Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", mlflow.uri());
            Driver.Result first = Driver.run(work, "first", 900, env, sweep("cluster-sweep.yaml", cluster));
            assertEquals(0, first.code(), first.toString());
            assertTrue(first.err().contains("2 cells in flight at once"), first.err());
            assertFalse(first.err().contains("\tat "), "no stack trace: " + first.err());

            List<FakeRun> runs = runs(mlflow, "cluster-sweep");
            assertEquals(5, runs.size(), "a parent and four cells: " + runs);
            FakeRun parent = parent(runs);
            assertEquals("cluster-sweep", parent.tags.get("difflab.sweep"));
            assertEquals("4", parent.tags.get("difflab.sweep.cells"));
            assertEquals(Service.RunStatus.FINISHED, parent.status);
            Set<String> cells = new TreeSet<>();
            FakeRun trainer = null;
            for (FakeRun child : children(runs, parent)) {
                assertEquals(Service.RunStatus.FINISHED, child.status, child.runName);
                assertEquals("cluster-sweep", child.tags.get("difflab.sweep"));
                String scale = child.tags.get("sweep.guidance.scale");
                assertEquals(Double.parseDouble(scale), Double.parseDouble(child.params.get("guidance.scale")));
                assertTrue(cells.add(child.tags.get("difflab.sweep.cell")), "one run per cell");
                assertTrue(!child.history("eval.nfe").isEmpty(), "it sampled and evaluated: " + child.runName);
                if (!child.history("train.loss").isEmpty()) {
                    assertEquals(null, trainer, "one training for the four cells");
                    trainer = child;
                } else {
                    assertTrue(child.tags.containsKey("difflab.trained_in_run"), child.runName);
                }
            }
            assertEquals(Set.of("scale0", "scale1", "scale2", "scale3"), cells);
            assertTrue(trainer != null, "the training is on the server");
            assertEquals(List.of(), mlflow.violations, "the client kept MLflow's contract");

            Set<String> executors = new TreeSet<>();
            for (String cell : cells) {
                Path dir = TinySweep.runFolder(work.resolve("runs/cluster-sweep"), cell).orElseThrow();
                Matcher m = EXECUTOR_PID.matcher(Files.readString(dir.resolve("cell.log")));
                assertTrue(m.find(), "the cell ran as a Spark task: " + dir);
                executors.add(m.group(1));
            }
            assertEquals(2, executors.size(), "the cells ran in both workers' executors: " + executors);

            Driver.Result again = Driver.run(work, "again", 600, env, sweep("cluster-sweep.yaml", cluster));
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.err().contains("continuing parent run"), again.err());
            assertTrue(again.err().contains("0 to run") && again.err().contains("4 finished before"), again.err());
            assertEquals(5, runs(mlflow, "cluster-sweep").size(), "no new run");
            assertEquals(Service.RunStatus.FINISHED, parent(runs(mlflow, "cluster-sweep")).status);
        }
    }

    @Test
    void aWorkerKilledInTheMiddleOfTheTrainingLeavesEveryCellRunOnce() throws Exception {
        int steps = 240;
        TinySweep.write(work, "lost-worker", steps, 20);
        try (MlflowContractServer mlflow = MlflowContractServer.started();
             StandaloneCluster cluster = StandaloneCluster.start(Driver.ADD_ON, work, 2)) {
            Driver driver = Driver.start(work, "sweep", Map.of("MLFLOW_TRACKING_URI", mlflow.uri()),
                    sweep("lost-worker.yaml", cluster));
            Path trainer = awaitFirstCheckpoint(work.resolve("runs/lost-worker"), "scale0", driver);
            int worker = cluster.workerRunning(trainer.toString())
                    .orElseThrow(() -> new AssertionError("no worker runs " + trainer));
            cluster.killWorker(worker);
            Driver.Result r = driver.await(900);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.err().contains("cell scale0: its executor") && r.err().contains("was lost"), r.err());

            List<FakeRun> runs = runs(mlflow, "lost-worker");
            FakeRun parent = parent(runs);
            assertEquals(Service.RunStatus.FINISHED, parent.status);
            List<FakeRun> children = children(runs, parent);
            assertEquals(4, children.size(), "no cell was recorded twice: " + runs);
            assertEquals(5, runs.size());
            Set<String> cells = new TreeSet<>();
            for (FakeRun child : children) {
                assertEquals(Service.RunStatus.FINISHED, child.status, child.runName);
                cells.add(child.tags.get("difflab.sweep.cell"));
            }
            assertEquals(Set.of("scale0", "scale1", "scale2", "scale3"), cells);
            FakeRun trained = children.stream().filter(c -> c.tags.get("difflab.sweep.cell").equals("scale0"))
                    .findFirst().orElseThrow();
            assertTrue(Integer.parseInt(trained.tags.getOrDefault("difflab.resume_count", "0")) >= 1,
                    "the retry continued the same run: " + trained.tags);
            List<Service.Metric> loss = trained.history("train.loss");
            assertEquals(steps, loss.get(loss.size() - 1).getStep(), "trained to the end");

            String log = Files.readString(trainer.resolve("cell.log"));
            assertTrue(log.contains("attempt 1 of Spark task") && log.contains("--resume"), log);
            assertTrue(log.contains("(from step "), "resumed from its checkpoint, not from scratch: " + log);
            assertEquals(List.of(), mlflow.violations);
        }
    }

    /** The run folder of {@code cell} once it holds a checkpoint (the training is under way). */
    private static Path awaitFirstCheckpoint(Path sweepDir, String cell, Driver driver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new AssertionError("the sweep ended first: " + driver.errSoFar());
            }
            var dir = TinySweep.runFolder(sweepDir, cell);
            if (dir.isPresent() && Files.isDirectory(dir.get().resolve("checkpoints"))) {
                try (Stream<Path> steps = Files.list(dir.get().resolve("checkpoints"))) {
                    if (steps.anyMatch(s -> s.getFileName().toString().startsWith("step-"))) {
                        return dir.get();
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint of " + cell + " under " + sweepDir + ": " + driver.errSoFar());
    }

    private static List<FakeRun> runs(MlflowContractServer mlflow, String experiment) {
        synchronized (mlflow) {
            String id = mlflow.experiments.entrySet().stream().filter(e -> e.getValue().equals(experiment))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no experiment "
                            + experiment + " in " + mlflow.experiments));
            return new ArrayList<>(mlflow.runs.values().stream().filter(r -> r.experimentId.equals(id)).toList());
        }
    }

    private static FakeRun parent(List<FakeRun> runs) {
        List<FakeRun> parents = runs.stream().filter(r -> !r.tags.containsKey("mlflow.parentRunId")).toList();
        assertEquals(1, parents.size(), "one parent run: " + runs);
        return parents.get(0);
    }

    private static List<FakeRun> children(List<FakeRun> runs, FakeRun parent) {
        return runs.stream().filter(r -> parent.id.equals(r.tags.get("mlflow.parentRunId"))).toList();
    }
}
