package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab sweep} end to end through the built distribution: the real gd, fashion-mnist,
 * unet and metrics plugins on real Fashion-MNIST images. Two guidance scales share one training
 * (the estimator and the noise-aware classifier); a third cell fails at run time, is retried once
 * and recorded FAILED; a second start continues the same parent run and skips the finished cells.
 */
class SweepIT {

    /** A guided-diffusion model small enough to train a few steps in seconds, classifier included. */
    private static final String TINY_GD = """
            seed: 3
            device: cpu
            model: {name: gd, classifier_steps: 3, classifier_channels: 8, classifier_channel_mult: [1, 2],
                    classifier_attention_resolutions: [], classifier_head_channels: -1}
            dataset: {name: fashion-mnist, limit: 256}
            schedule: {name: cosine, timesteps: 100}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [14], num_head_channels: -1, num_heads: 2, dropout: 0.0}
            train: {steps: 10, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 5, checkpoint_every: 5}
            sampler: {name: ancestral, steps: 5}
            guidance: {name: classifier, scale: 1.0}
            sample: {count: 4, batch_size: 4}
            metrics: [{name: cost}]
            """;

    private static final String SWEEP = """
            name: tiny-sweep
            base: tiny-gd.yaml
            variants:
              budget:
                trained: {}
                untrained: {train.steps: 0}   # sampling without any checkpoint: fails at run time
            axes:
              guidance.scale: [0, 2]
            skip:
              - {budget: untrained, guidance.scale: 2}
            """;

    @TempDir
    Path work;

    @Test
    void cellsShareOneTrainingAreChildRunsAndARestartSkipsFinishedCells() throws Exception {
        Files.writeString(work.resolve("tiny-gd.yaml"), TINY_GD);
        Files.writeString(work.resolve("tiny-sweep.yaml"), SWEEP);

        Launcher.Result plan = Launcher.launch(work, 120, "sweep", "tiny-sweep.yaml", "--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        assertTrue(plan.out().contains("trained_scale0") && plan.out().contains("trains"), plan.out());
        assertTrue(plan.out().contains("shares #1"), "one training for both scales: " + plan.out());
        assertTrue(plan.out().contains("skipped: skip[0]"), plan.out());
        assertFalse(Files.exists(work.resolve("mlruns")), "a dry run records nothing");

        Launcher.Result first = Launcher.launch(work, 300, "sweep", "tiny-sweep.yaml");
        assertEquals(1, first.code(), first.toString());
        assertTrue(first.err().contains("1 of 3 cells failed: untrained_scale0"), first.err());
        assertTrue(first.err().contains("cell 1/3 trained_scale0: started, trains the model"), first.err());
        assertTrue(first.err().contains("ETA"), first.err());
        assertTrue(first.err().contains("attempt 1 failed"), "retried once: " + first.err());
        assertFalse(first.err().contains("\tat "), "no stack trace: " + first.err());
        assertTrue(first.out().contains("FAILED (2 attempts)"), first.out());

        Map<String, Path> runs = runsByName();
        Path parent = onlyOne(runs, r -> tag(r, "mlflow.parentRunId").isEmpty());
        String parentId = parent.getFileName().toString();
        assertEquals("tiny-sweep", tag(parent, "difflab.sweep").orElseThrow());
        assertEquals("3", tag(parent, "difflab.sweep.cells").orElseThrow());
        assertEquals("1", tag(parent, "difflab.sweep.skipped").orElseThrow());
        assertTrue(tag(parent, "difflab.sweep.file").orElseThrow().endsWith("tiny-sweep.yaml"));
        assertTrue(status(parent).contains("status: 4"), "the parent of a failed cell ends FAILED");

        Path trainer = child(runs, "trained_scale0");
        Path sharer = child(runs, "trained_scale2");
        Path broken = child(runs, "untrained_scale0");
        for (Path c : List.of(trainer, sharer, broken)) {
            assertEquals(parentId, tag(c, "mlflow.parentRunId").orElseThrow(), c.toString());
            assertEquals("tiny-sweep", tag(c, "difflab.sweep").orElseThrow());
            assertEquals("3", Files.readString(c.resolve("params/seed")).trim(), "params of the resolved spec");
        }
        assertEquals("2", tag(sharer, "sweep.guidance.scale").orElseThrow());
        assertEquals("trained", tag(sharer, "sweep.budget").orElseThrow());
        assertEquals("2.0", Files.readString(sharer.resolve("params/guidance.scale")).trim());

        assertTrue(status(trainer).contains("status: 3") && status(sharer).contains("status: 3"), "FINISHED");
        assertTrue(Files.isRegularFile(trainer.resolve("metrics/train.loss")));
        assertTrue(Files.isRegularFile(trainer.resolve("metrics/classifier.train.loss")), "the classifier too");
        assertEquals(List.of(), metricsStartingWith(sharer, "train."), "no training step in the sharing cell");
        assertEquals(List.of(), metricsStartingWith(sharer, "classifier."), "nor a classifier step");
        assertTrue(Files.isRegularFile(sharer.resolve("metrics/eval.nfe")), "it sampled and evaluated");
        assertEquals(tag(trainer, "difflab.training_key"), tag(sharer, "difflab.training_key"));
        assertEquals(trainer.getFileName().toString(), tag(sharer, "difflab.trained_in_run").orElseThrow());

        assertTrue(status(broken).contains("status: 4"), "FAILED");
        assertTrue(tag(broken, "difflab.failure").orElseThrow().contains("holds no checkpoint"));
        assertEquals("1", tag(broken, "difflab.resume_count").orElseThrow(), "the retry continued the same run");
        String state = Files.readString(work.resolve("runs/tiny-sweep/sweep-state.yaml"));
        assertTrue(state.contains("status: FAILED") && state.contains("attempts: 2"), state);
        List<Path> folders = runFolders();
        assertEquals(3, folders.size(), folders.toString());

        // a second start: the same parent, the finished cells skipped, the failed one tried again
        Launcher.Result second = Launcher.launch(work, 300, "sweep", "tiny-sweep.yaml");
        assertEquals(1, second.code(), second.toString());
        assertTrue(second.err().contains("continuing parent run " + parentId), second.err());
        assertTrue(second.err().contains("1 to run") && second.err().contains("2 finished before"), second.err());
        assertFalse(second.err().contains("trained_scale2: started"), second.err());
        assertEquals(runs.keySet(), runsByName().keySet(), "no new run: the failed cell continued its own");
        assertEquals(folders, runFolders());
        assertEquals("3", tag(broken, "difflab.resume_count").orElseThrow(), "tried twice more, in the same run");
        assertTrue(second.out().contains("trained_scale2") && second.out().contains("FINISHED"), second.out());

        // the report of the sweep holds what its finished cells logged
        Launcher.Result report = Launcher.launch(work, 180, "report", "tiny-sweep");
        assertEquals(0, report.code(), report.toString());
        List<String> csv = Files.readAllLines(work.resolve("reports/tiny-sweep/results.csv"));
        assertEquals("budget,guidance.scale,metric,mean,std,n,seeds", csv.get(0));
        for (Path cell : List.of(trainer, sharer)) {
            String row = "trained," + Double.parseDouble(tag(cell, "sweep.guidance.scale").orElseThrow())
                    + ",sample.nfe," + lastValue(cell, "sample.nfe") + ",0.0,1,3";
            assertTrue(csv.contains(row), row + " in " + csv);
        }
        assertTrue(csv.stream().noneMatch(l -> l.startsWith("untrained,")), "a failed cell is no result: " + csv);
        assertTrue(Files.readString(work.resolve("reports/tiny-sweep/README.md")).contains("untrained_scale0"),
                "the page names the run it left out");
    }

    private static double lastValue(Path run, String metric) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics").resolve(metric));
        return Double.parseDouble(lines.get(lines.size() - 1).split(" ")[1]);
    }

    private Map<String, Path> runsByName() throws IOException {
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            return walk.filter(p -> p.getNameCount() == work.resolve("mlruns").getNameCount() + 2
                            && Files.isRegularFile(p.resolve("meta.yaml")))
                    .collect(Collectors.toMap(p -> p.getFileName().toString(), Function.identity()));
        }
    }

    private static Path onlyOne(Map<String, Path> runs, java.util.function.Predicate<Path> which) {
        List<Path> found = runs.values().stream().filter(which).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private static Path child(Map<String, Path> runs, String cell) {
        return onlyOne(runs, r -> tag(r, "difflab.sweep.cell").filter(cell::equals).isPresent());
    }

    private static Optional<String> tag(Path run, String name) {
        Path f = run.resolve("tags").resolve(name);
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String status(Path run) throws IOException {
        return Files.readString(run.resolve("meta.yaml"));
    }

    private static List<String> metricsStartingWith(Path run, String prefix) throws IOException {
        if (!Files.isDirectory(run.resolve("metrics"))) {
            return List.of();
        }
        try (Stream<Path> m = Files.list(run.resolve("metrics"))) {
            return m.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    private List<Path> runFolders() throws IOException {
        try (Stream<Path> dirs = Files.list(work.resolve("runs/tiny-sweep"))) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
