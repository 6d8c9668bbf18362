package io.difflab.cli;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.remote.ContractFixtures;
import io.difflab.tracking.remote.MlflowContractServer;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code difflab} processes started at once on the same state, through the built
 * distribution: two sweeps of one sweep file (one runs, the other refuses naming the lock; one
 * training, one parent run), a damaged {@code sweep-state.yaml} (named, left as it is, and the
 * sweep continues once it is moved away), and two syncs of one store to one server (each run sent
 * by one of them, nothing twice).
 */
class ConcurrencyIT {

    /** A DDPM trained for a few seconds, sampled with two step counts: two cells, one training. */
    private static final String TINY = """
            seed: 3
            device: cpu
            model: {name: ddpm}
            dataset: {name: fashion-mnist, limit: 256}
            schedule: {name: linear, timesteps: 100}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [], num_heads: 1, dropout: 0.0}
            train: {steps: 40, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 10, checkpoint_every: 20}
            sampler: {name: ancestral, steps: 5}
            sample: {count: 4, batch_size: 4}
            metrics: []
            """;

    private static final String SWEEP = """
            name: twice
            base: tiny.yaml
            axes: {sampler.steps: [4, 6]}
            """;

    @TempDir
    Path work;

    @Test
    void twoSweepsStartedAtOnceRunOnceAndADamagedStateIsNamedAndCanBeMovedAway() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY);
        Files.writeString(work.resolve("twice.yaml"), SWEEP);
        Launcher.Started a = Launcher.start(work, "a-", "sweep", "twice.yaml");
        Launcher.Started b = Launcher.start(work, "b-", "sweep", "twice.yaml");
        Launcher.Result ra = a.await(600);
        Launcher.Result rb = b.await(600);
        List<Launcher.Result> results = List.of(ra, rb);
        assertEquals(1, results.stream().filter(r -> r.code() == 0).count(), "one runs: " + results);
        Launcher.Result refused = results.stream().filter(r -> r.code() != 0).findFirst().orElseThrow();
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("sweep 'twice' is already running")
                && refused.err().contains("runs/twice/.lock"), refused.err());
        assertFalse(refused.err().contains("\tat "), "one message, no stack trace: " + refused.err());

        List<Path> cells = cellFolders();
        assertEquals(2, cells.size(), cells.toString());
        assertEquals(3, mlflowRuns().size(), "one parent run and two children");
        assertEquals(1, mlflowRuns().stream().filter(r -> Files.isRegularFile(r.resolve("metrics/train.loss"))).count(),
                "one training for both cells, by one process");

        // started again: nothing to do
        Launcher.Result again = Launcher.launch(work, 300, "sweep", "twice.yaml");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.err().contains("0 to run") && again.err().contains("2 finished before"), again.err());

        // a damaged state: named by path, left as it is, nothing run
        Path state = work.resolve("runs/twice/sweep-state.yaml");
        String good = Files.readString(state);
        String torn = good.substring(0, good.indexOf("status:") + "status: FINI".length());
        Files.writeString(state, torn);
        Launcher.Result damaged = Launcher.launch(work, 300, "sweep", "twice.yaml");
        assertEquals(1, damaged.code(), damaged.toString());
        assertTrue(damaged.err().contains("runs/twice/sweep-state.yaml"), damaged.err());
        assertTrue(damaged.err().contains("Move it away"), damaged.err());
        assertFalse(damaged.err().contains("\tat "), damaged.err());
        assertEquals(torn, Files.readString(state), "the damaged state is left for the user to look at");

        // moved away, the sweep continues from its run folders: the same parent, no cell run again
        Files.move(state, state.resolveSibling("sweep-state.yaml.damaged"));
        Launcher.Result recovered = Launcher.launch(work, 300, "sweep", "twice.yaml");
        assertEquals(0, recovered.code(), recovered.toString());
        assertTrue(recovered.err().contains("0 to run") && recovered.err().contains("2 finished before"),
                recovered.err());
        assertTrue(recovered.err().contains("continuing parent run"), recovered.err());
        assertEquals(cells, cellFolders());
        assertEquals(3, mlflowRuns().size(), "still one parent and two children");
    }

    @Test
    void twoSyncsStartedAtOnceSendEveryRunOnce() throws Exception {
        FileStore store = new FileStore(work.resolve("mlruns"));
        LocalTracker tracker = new LocalTracker(store, new Redactor(List.of()), work);
        Path artifact = Files.writeString(work.resolve("notes.txt"), "a file every run uploads\n");
        List<String> local = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            LocalRun parent = tracker.startRun("sync-twice", "parent" + p, null, Map.of("k", "v" + p));
            local.add(parent.id());
            for (int c = 0; c < 3; c++) {
                LocalRun child = tracker.startRun("sync-twice", "child" + p + c, parent.id(), Map.of());
                child.logParams(Map.of("guidance.scale", Integer.toString(c), "seed", Integer.toString(p)));
                for (int step = 1; step <= 120; step++) {
                    child.logMetric("train.loss", 1.0 / step, step);
                }
                child.logArtifact(artifact, "");
                child.end(RunStatus.FINISHED);
                local.add(child.id());
            }
            parent.end(RunStatus.FINISHED);
        }
        try (MlflowContractServer server = MlflowContractServer.started()) {
            server.respondAfter(Duration.ofMillis(120)); // a distant server: the two syncs overlap
            Launcher.Started a = Launcher.start(work, "a-", "sync", "--to", server.uri());
            Launcher.Started b = Launcher.start(work, "b-", "sync", "--to", server.uri());
            Launcher.Result ra = a.await(300);
            Launcher.Result rb = b.await(300);
            assertEquals(0, ra.code(), ra.toString());
            assertEquals(0, rb.code(), rb.toString());
            for (Launcher.Result r : List.of(ra, rb)) {
                assertFalse(r.err().contains("\tat ") || r.err().contains("unexpected"), r.toString());
            }
            String both = ra.out() + rb.out();
            assertTrue(both.contains("skipped: another process is sending it"),
                    "the two overlapped: each left to the other what it was sending\n" + both);
            for (String id : local) {
                assertEquals(1L, server.runsPerLocalRun().get(id), "one server run for local run " + id);
                ContractFixtures.assertSameMetrics(server, store, id);
            }
            assertEquals(local.size(), server.runsPerLocalRun().size());
            assertTrue(server.artifactUploads().values().stream().allMatch(n -> n == 1), server.artifactUploads().toString());
            assertEquals(9, server.artifactUploads().size());
            assertTrue(server.paramSends().values().stream().allMatch(n -> n == 1), server.paramSends().toString());
            assertEquals(List.of(), server.violations());

            Launcher.Result third = Launcher.launch(work, 300, "sync", "--to", server.uri());
            assertEquals(0, third.code(), third.toString());
            assertTrue(third.out().contains("12 runs: 0 sent"), third.out());
        }
    }

    private List<Path> cellFolders() throws IOException {
        try (Stream<Path> dirs = Files.list(work.resolve("runs/twice"))) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private List<Path> mlflowRuns() throws IOException {
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            return walk.filter(p -> p.getNameCount() == work.resolve("mlruns").getNameCount() + 2
                    && Files.isRegularFile(p.resolve("meta.yaml"))).toList();
        }
    }
}
