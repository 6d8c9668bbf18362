package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.difflab.cli.KilledRuns.Kill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection through the distribution: tiny trainings killed with SIGKILL at random moments
 * and at chosen places (mid-training between checkpoints, while a checkpoint is written, while an old
 * one is pruned, while gd's classifier trains), resumed each time, end bit for bit where an
 * uninterrupted run ends: the weights, their EMA and the optimizer of every network, the samples,
 * and every metric at every step, each step recorded once. A finished run resumed does nothing; one
 * resumed with more steps records the new spec.
 */
class ResumeExactnessIT {

    /** Dropout on, so the engine's RNG must be restored too; reports every 3 steps, checkpoints every 4. */
    private static final String DDPM = """
            name: ddpm-tiny
            seed: 5
            device: cpu
            model: {name: ddpm}
            dataset: {name: fashion-mnist, limit: 128}
            schedule: {name: linear, timesteps: 50}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [14], num_heads: 2, dropout: 0.1}
            train: {steps: 12, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 3, checkpoint_every: 4,
                    eval_every: 6, eval_samples: 2}
            sampler: {name: ancestral, steps: 8}
            sample: {count: 6, batch_size: 4}
            metrics: [{name: cost}]
            """;

    /** The estimator, then the noise-aware classifier (6 steps, checkpoints at 4 and 6); guided sampling. */
    private static final String GD = """
            name: gd-tiny
            seed: 5
            device: cpu
            model: {name: gd, classifier_steps: 6, classifier_channels: 8, classifier_channel_mult: [1, 2],
                    classifier_attention_resolutions: [], classifier_head_channels: -1}
            dataset: {name: fashion-mnist, limit: 128}
            schedule: {name: cosine, timesteps: 50}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [14], num_head_channels: -1, num_heads: 2, dropout: 0.0}
            train: {steps: 8, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 3, checkpoint_every: 4}
            sampler: {name: ancestral, steps: 6}
            guidance: {name: classifier, scale: 1.0}
            sample: {count: 4, batch_size: 4}
            metrics: []
            """;

    @TempDir
    static Path tmp;

    /** Uninterrupted runs by name, made once for the tests that compare with them. */
    private static final Map<String, Path> REFERENCES = new java.util.HashMap<>();

    /** The uninterrupted run of {@code spec} in a folder of its own. */
    private static synchronized Path reference(String name, String spec) throws Exception {
        if (REFERENCES.containsKey(name)) {
            return REFERENCES.get(name);
        }
        Path work = Files.createDirectories(tmp.resolve(name));
        Files.writeString(work.resolve("spec.yaml"), spec);
        Launcher.Result r = Launcher.launch(work, 300, "run", "spec.yaml");
        assertEquals(0, r.code(), r.toString());
        assertTrue(!r.err().contains("Warning:") && !r.err().contains("AutoNonVariableTypeMode"),
                "no libtorch warning on the console: " + r.err());
        REFERENCES.put(name, work);
        return work;
    }

    /** The chain of killed and resumed launches of {@code spec}, compared with {@code reference}. */
    private Path assertKilledChainEqualsReference(String name, String spec, Path reference, List<Kill> kills)
            throws Exception {
        Path work = Files.createDirectories(tmp.resolve(name));
        Files.writeString(work.resolve("spec.yaml"), spec);
        Launcher.Result last = KilledRuns.chain(work, "spec.yaml", kills);
        assertEquals(0, last.code(), kills + ": " + last);
        Path expectedRun = KilledRuns.runFolder(reference).orElseThrow();
        Path actualRun = KilledRuns.runFolder(work).orElseThrow();
        RunRecords.assertSameFinalCheckpoints(expectedRun, actualRun);
        RunRecords.assertSameSamples(expectedRun, actualRun);
        Path mlrun = RunRecords.mlflowRun(work, actualRun);
        RunRecords.assertSameMetrics(RunRecords.metrics(RunRecords.mlflowRun(reference, expectedRun)),
                RunRecords.metrics(mlrun));
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        return work;
    }

    @Test
    void ddpmKilledAtChosenPlacesResumesToTheUninterruptedRun() throws Exception {
        Path reference = reference("ddpm-reference", DDPM);
        Path work = assertKilledChainEqualsReference("ddpm-chosen", DDPM, reference, List.of(
                Kill.at("train.step:checkpoints@5"),        // between a checkpoint and the next report: 5 again
                Kill.at("checkpoint.write:checkpoints@8"),  // half a checkpoint written
                Kill.at("checkpoint.prune:checkpoints@4"),  // the step-4 checkpoint half deleted
                Kill.random(11)));
        Path run = KilledRuns.runFolder(work).orElseThrow();
        Path mlrun = RunRecords.mlflowRun(work, run);

        // resuming a finished run does nothing: no sampling, no new record
        Map<String, List<double[]>> before = RunRecords.metrics(mlrun);
        Launcher.Result again = Launcher.launch(work, 300, "run", "spec.yaml", "--resume");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.err().contains("already finished: nothing to resume"), again.err());
        assertTrue(!again.err().contains("sample "), "no sampling: " + again.err());
        RunRecords.assertSameMetrics(before, RunRecords.metrics(mlrun));

        // more steps: the run goes on, and its records say so (the spec artifact, the param in force)
        Launcher.Result more = Launcher.launch(work, 300, "run", "spec.yaml", "--resume", "--set", "train.steps=15");
        assertEquals(0, more.code(), more.toString());
        assertTrue(Files.readString(mlrun.resolve("artifacts/spec.yaml")).contains("steps: 15"));
        assertEquals("15", Files.readString(mlrun.resolve("tags/difflab.param.train.steps")));
        assertEquals("12", Files.readString(mlrun.resolve("params/train.steps")), "MLflow params never change");
        List<double[]> loss = RunRecords.metrics(mlrun).get("train.loss");
        assertEquals(List.of(3L, 6L, 9L, 12L, 15L), loss.stream().map(p -> (long) p[0]).toList());
        String id = Files.readString(run.resolve("tracking-run-id")).trim();
        Launcher.Result compare = Launcher.launch(work, 120, "compare", id, id, "--all-params");
        assertEquals(0, compare.code(), compare.toString());
        assertTrue(compare.out().lines().anyMatch(l -> l.matches("train\\.steps\\s+15\\s+15")),
                "the value in force: " + compare.out());

        // other sampling settings for the finished training: a new run from it, the finished one untouched
        Map<String, List<double[]>> finished = RunRecords.metrics(mlrun);
        Launcher.Result resample = Launcher.launch(work, 300, "run", "spec.yaml", "--resume", "--set", "train.steps=15",
                "--set", "sampler.steps=4");
        assertEquals(0, resample.code(), resample.toString());
        assertTrue(resample.err().contains("already finished; sampling and evaluating its training with sampler.steps "
                + "changed, in a new run"), resample.err());
        RunRecords.assertSameMetrics(finished, RunRecords.metrics(mlrun));
        Path sampled;
        try (var dirs = Files.list(work.resolve("runs"))) {
            sampled = dirs.filter(d -> !d.equals(run)).findFirst().orElseThrow();
        }
        Map<String, List<double[]>> fresh = RunRecords.metrics(RunRecords.mlflowRun(work, sampled));
        assertEquals(4.0, fresh.get("sample.steps").get(0)[1]);
        assertTrue(!fresh.containsKey("train.loss"), "it only samples and evaluates: " + fresh.keySet());
    }

    @Test
    void ddpmKilledAtRandomMomentsResumesToTheUninterruptedRun() throws Exception {
        Path reference = reference("ddpm-reference", DDPM);
        assertKilledChainEqualsReference("ddpm-random", DDPM, reference, List.of(Kill.random(2), Kill.random(3)));
    }

    @Test
    void gdKilledWhileItsClassifierTrainsResumesToTheUninterruptedRun() throws Exception {
        Path reference = reference("gd-reference", GD);
        assertKilledChainEqualsReference("gd-chosen", GD, reference, List.of(
                Kill.at("train.step:classifier@3"),         // the second network, between its checkpoints
                Kill.at("checkpoint.write:classifier@6"),   // its last checkpoint half written
                Kill.random(5)));
    }
}
