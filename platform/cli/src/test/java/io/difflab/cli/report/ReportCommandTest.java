package io.difflab.cli.report;

import io.difflab.api.tracking.RunStatus;
import io.difflab.cli.Difflab;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab report} on a sweep recorded in a real local store: its folder, its parent's
 * artifacts, its errors (an unreachable server is in ReportIT: the MLflow client's retries take seconds).
 */
class ReportCommandTest {

    private static final String COMMIT = "5bf9e5f5817e3f1b69ba1237a83ed9ed9e9f7f08";
    private static final String EVALUATOR = "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    private Path store;
    private Path out;
    private LocalRun parent;

    private record Result(int code, String out, String err) { }

    private Result report(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Difflab.commandLine(new Difflab(Map.of(), null)).setOut(new PrintWriter(o)).setErr(new PrintWriter(e));
        List<String> all = new java.util.ArrayList<>(List.of("report"));
        all.addAll(List.of(args));
        all.addAll(List.of("--store", store.toString()));
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, o.toString(), e.toString());
    }

    private Path grid(int shade) throws Exception {
        BufferedImage image = new BufferedImage(58, 58, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, shade);
        Path png = tmp.resolve("samples.png");
        ImageIO.write(image, "png", png.toFile());
        return png;
    }

    /** A sweep over guidance.scale {1, 3} with seeds {0, 1}, plus a failed cell. */
    @BeforeEach
    void recordSweep() throws Exception {
        store = tmp.resolve("mlruns");
        out = tmp.resolve("reports/ablation");
        LocalTracker tracker = new LocalTracker(new FileStore(store), new Redactor(List.of()), tmp);
        parent = tracker.startRun("ablation", "ablation-sweep", null, Map.of("difflab.sweep", "ablation-sweep",
                "difflab.sweep.file", "experiments/sweeps/ablation.yaml", "difflab.sweep.axes", "guidance.scale,seed",
                "difflab.sweep.cells", "5", "difflab.sweep.trainings", "2"));
        parent.end(RunStatus.FINISHED);
        int shade = 1;
        Map<String, String> trainerBySeed = new LinkedHashMap<>();
        for (String scale : List.of("1", "3")) {
            for (String seed : List.of("0", "1")) {
                Map<String, String> tags = new LinkedHashMap<>(Map.of("sweep.guidance.scale", scale, "sweep.seed", seed,
                        "difflab.sweep", "ablation-sweep", "difflab.training_key", "key-seed" + seed,
                        "difflab.cpus", "2", "mlflow.source.git.commit", COMMIT, RunFacts.EVALUATOR_SHA256, EVALUATOR,
                        RunFacts.EVALUATOR_ACCURACY, "0.9120"));
                if (trainerBySeed.containsKey(seed)) {
                    tags.put("difflab.trained_in_run", trainerBySeed.get(seed));
                }
                LocalRun cell = tracker.startRun("ablation", "cell-s" + scale + "-seed" + seed, parent.id(), tags);
                trainerBySeed.putIfAbsent(seed, cell.id());
                cell.logParams(Map.of("model.name", "cfdg", "guidance.name", "classifier-free", "guidance.scale", scale,
                        "seed", seed, "sampler.name", "ddim", "sampler.steps", "10", "train.batch_size", "8"));
                Map<String, Double> finals = new LinkedHashMap<>();
                if (scale.equals("1")) { // the scale-3 cells reuse the model the scale-1 cell of their seed trained
                    for (int step = 5; step <= 10; step += 5) {
                        cell.logMetric("train.loss", 1.0 / step + Double.parseDouble(seed), step);
                    }
                    finals.put("train.seconds", 2.5 + Double.parseDouble(seed));
                    finals.put("train.images", 80.0);
                }
                finals.put("sample.nfe", 20.0);
                finals.put("sample.grad_evals", 0.0);
                finals.put("sample.seconds", 0.125 * (1 + Double.parseDouble(seed)));
                finals.put("eval.fd", 10.0 * Double.parseDouble(scale) + Double.parseDouble(seed));
                cell.logMetrics(finals, 10);
                cell.logArtifact(grid(shade++), "");
                cell.end(RunStatus.FINISHED);
            }
        }
        LocalRun failed = tracker.startRun("ablation", "cell-broken", parent.id(), Map.of());
        failed.end(RunStatus.FAILED);
    }

    @Test
    void aSweepsReportHasTheTableGridsPlotsAndIsLoggedToItsParent() throws Exception {
        Result r = report("ablation-sweep", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("README.md"));
        assertTrue(md.contains("| scale | FD ↓ | NFE | grad evals | s/sample | runs (seeds) |"), md);
        // scale 1: FD 10 and 11 → 10.5 ± 0.7071; s/sample 0.125 and 0.25 → 0.1875 ± 0.08839
        assertTrue(md.contains("| 1 | 10.5 ± 0.7071 | 20 ± 0 | 0 ± 0 | 0.1875 ± 0.08839 | 2 (0, 1) |"), md);
        assertTrue(md.contains("| 3 | 30.5 ± 0.7071 |"), md);
        assertTrue(md.contains("```\n./difflab sweep experiments/sweeps/ablation.yaml\n```"), "the sweep's command: " + md);
        assertTrue(md.contains("5 cells sharing 2 trainings"), md);
        assertTrue(md.contains("./difflab report ablation-sweep --out "), "the report's own command");
        assertTrue(md.contains("`cell-broken` (failed)"), "the failed cell is named, left out");
        assertTrue(md.contains("Commit: `" + COMMIT + "`"), md);
        assertTrue(md.contains("Evaluator: sha256 `" + EVALUATOR + "`, test accuracy 0.9120"), md);
        assertTrue(md.contains("| cfdg | - | classifier-free | 1, 3 | ddim | 10 | 20 | 0 | 0.1875 ± 0.07217 | 4 |"),
                "the test cost of the family over its 4 runs: " + md);
        assertTrue(md.contains("| cfdg | - | estimator | 10 ± 0 | 3 ± 0.7071 | 80 ± 0 | 2 |"),
                "the training cost: images / batch = 10 steps; the scales share a model, so 2 models (seeds) of "
                        + "2.5 and 3.5 s: " + md);
        assertTrue(Files.readString(out.resolve("results.csv")).contains("1,eval.fd,10.5,0.7071067811865476,2,\"0, 1\""));
        assertFalse(md.contains("sample.nfe-vs-guidance-scale"), "cost columns are not plotted against the scale");
        for (String f : List.of("grids/cell-s1-seed0.png", "grids/cell-s3-seed1.png", "plots/eval.fd-vs-guidance-scale.png",
                "plots/training-loss.png", "index.html", "cost.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
            assertTrue(md.contains(f) || f.endsWith(".html") || f.endsWith(".csv"), f + " shown on the page");
        }
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains(Base64.getEncoder().encodeToString(Files.readAllBytes(out.resolve("plots/training-loss.png")))));
        Path artifacts = store.resolve(parent.experimentId()).resolve(parent.id()).resolve("artifacts/report");
        assertTrue(Files.isRegularFile(artifacts.resolve("README.md")), "logged to the parent run");
        assertTrue(Files.isRegularFile(artifacts.resolve("plots/training-loss.png")));
        try (var left = Files.list(out.getParent())) {
            assertEquals(List.of(out), left.toList(), "no staging folder left behind");
        }
    }

    @Test
    void aFreshPagePassesTheChecksOfCommittedReportsAndAChangedOneDoesNot() throws Exception {
        assertEquals(0, report("ablation-sweep", "--out", out.toString()).code());
        assertEquals(List.of(), GeneratedPageChecks.check(out), "the report command's own page agrees with itself");

        String md = Files.readString(out.resolve("README.md"));
        String changed = md.replace("5 cells sharing 2 trainings", "5 cells sharing 3 trainings")
                .replace("| 3 | 30.5 ± 0.7071 |", "| 3 | 31.5 ± 0.7071 |")
                .replaceFirst("- Evaluator:[^\n]*\n", "")
                .replace("![Training loss, one line per trained network](plots/training-loss.png)", "(gone)");
        Files.writeString(out.resolve("README.md"), changed);
        List<String> found = GeneratedPageChecks.check(out);
        assertTrue(found.contains("the sweep's trainings against the trained models listed: 3 against 2"), found.toString());
        assertTrue(found.stream().anyMatch(f -> f.startsWith("results.csv [3, eval.fd, 30.5,")), found.toString());
        assertTrue(found.contains("the evaluator is not named: '(none)'"), found.toString());
        assertTrue(found.contains("holds plots/training-loss.png but does not show it"), found.toString());
        assertEquals(4, found.size(), found.toString());
    }

    @Test
    void errorsAreOneMessageAndKeepWhatTheFolderHeld() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("README.md"), "the previous report\n");
        Files.writeString(out.resolve("sweep.sh"), "#!/bin/sh\n");

        Result unknown = report("no-such-sweep", "--out", out.toString());
        assertNotEquals(0, unknown.code());
        assertTrue(unknown.err().contains("no run or sweep named no-such-sweep"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), "no stack trace");

        Result unfinished = report("cell-broken", "--out", out.toString());
        assertNotEquals(0, unfinished.code());
        assertTrue(unfinished.err().contains("no finished run"), unfinished.err());

        assertEquals("the previous report\n", Files.readString(out.resolve("README.md")), "nothing lost");

        assertEquals(0, report("ablation-sweep", "--cost", "--out", out.toString()).code());
        assertNotEquals("the previous report\n", Files.readString(out.resolve("README.md")), "replaced once complete");
        assertEquals("#!/bin/sh\n", Files.readString(out.resolve("sweep.sh")), "what the report does not write stays");
    }

    @Test
    void runsByNameAndTheCostOnlyPage() throws Exception {
        Result r = report("cell-s1-seed0", "cell-s3-seed0", "--cost", "--name", "table3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("README.md"));
        assertTrue(md.startsWith("# Cost: table3"), md);
        assertTrue(md.contains("| cfdg | - | classifier-free | 1, 3 | ddim | 10 | 20 | 0 | 0.125 ± 0 | 2 |"), md);
        assertFalse(md.contains("## Results"), "only the cost section");
        assertFalse(Files.exists(out.resolve("grids")));
    }

    @Test
    void cellsThatReusedAModelReportTheTrainingOfTheRunThatPaidForIt() throws Exception {
        Result r = report("cell-s3-seed0", "cell-s3-seed1", "--cost", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("README.md"));
        assertTrue(md.contains("| cfdg | - | estimator | 10 ± 0 | 3 ± 0.7071 | 80 ± 0 | 2 |"),
                "the two scale-1 cells trained the models the scale-3 cells sampled: " + md);

        Result several = report("ablation-sweep", "cell-s1-seed0", "--cost", "--name", "table3", "--out", out.toString());
        assertEquals(0, several.code(), several.err());
        assertTrue(Files.readString(out.resolve("README.md")).contains("Compares 5 runs: the cells of sweeps `ablation-sweep`."),
                "several targets: the sweeps are named, not every run");
    }
}
