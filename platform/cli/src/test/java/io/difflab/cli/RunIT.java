package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab run} end to end through the built distribution: the real ddpm, fashion-mnist and
 * unet plugins on real Fashion-MNIST images, a tiny configuration on the CPU, recorded in the
 * local MLflow store.
 */
class RunIT {

    /** A DDPM small enough to train a few steps in seconds. */
    private static final String TINY = """
            name: tiny
            seed: 3
            device: cpu
            model: {name: ddpm}
            dataset: {name: fashion-mnist, limit: 256}
            schedule: {name: linear, timesteps: 100}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [14], num_heads: 2, dropout: 0.0}
            train: {steps: 4, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 2, checkpoint_every: 2}
            sampler: {name: ancestral, steps: 10}
            sample: {count: 6, batch_size: 4}
            metrics: []
            """;

    @TempDir
    Path work;

    @Test
    void runTrainsSamplesAndRecordsAFinishedMlflowRun() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY);
        Launcher.Result r = Launcher.launch(work, 600, "run", "tiny.yaml");
        assertEquals(0, r.code(), r.toString());
        Path run = onlyRunFolder();
        for (String f : List.of("spec.yaml", "samples.png", "samples.npz", "results.properties")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " in " + run);
        }
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000004")));
        BufferedImage grid = ImageIO.read(run.resolve("samples.png").toFile());
        assertEquals(2 + 3 * (2 * 28 + 2), grid.getWidth(), "3 columns of 2x-scaled 28x28 images");
        assertEquals(2 + 2 * (2 * 28 + 2), grid.getHeight(), "6 samples in 3 columns: 2 rows");
        Map<String, Npz.Array> npz = Npz.read(run.resolve("samples.npz"));
        assertEquals(List.of("samples"), List.copyOf(npz.keySet()), "an unconditional model requests no labels");
        assertArrayEquals(new long[] {6, 1, 28, 28}, npz.get("samples").shape(),
                "sample.count 6 in batches of 4: a full batch and a batch of 2");
        assertTrue(Arrays.stream(npz.get("samples").values()).allMatch(Double::isFinite));
        Path mlrun = mlflowRun();
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        List<String> loss = Files.readAllLines(mlrun.resolve("metrics/train.loss"));
        assertEquals(2, loss.size(), "logged every 2 steps: " + loss);
        assertTrue(loss.get(1).endsWith(" 4"), "the step is the training step: " + loss);
        assertEquals("4", Files.readString(mlrun.resolve("params/train.steps")).trim());
        assertTrue(Files.isRegularFile(mlrun.resolve("artifacts/samples.png")));
        assertTrue(Files.readString(mlrun.resolve("metrics/sample.nfe")).contains(" 10.0 ")
                || Files.readString(mlrun.resolve("metrics/sample.nfe")).contains(" 10 "), "10 steps, 1 call each");

        // difflab eval: metrics on the saved samples, recorded on the same MLflow run
        Launcher.Result eval = Launcher.launch(work, 600, "eval", run.toString(), "--set", "metrics=[{name: cost}]");
        assertEquals(0, eval.code(), eval.toString());
        assertTrue(eval.out().contains("eval.nfe") && eval.out().contains("10.0"), eval.out());
        assertTrue(Files.readString(run.resolve("results.properties")).contains("eval.nfe=10.0"));
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/eval.nfe")), "logged on the run's MLflow run");
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "still FINISHED");
    }

    /** A class-conditional model (cfdg) with guidance, tiny like {@link #TINY}. */
    private static final String TINY_CFDG = TINY.replace("name: tiny", "name: tiny-cfdg")
            .replace("model: {name: ddpm}", "model: {name: cfdg, p_uncond: 0.2}")
            .replace("sampler: {name: ancestral, steps: 10}", "sampler: {name: ddim, steps: 4}\n"
                    + "guidance: {name: classifier-free, scale: 2.0}")
            .replace("sample: {count: 6, batch_size: 4}", "sample: {count: 13, batch_size: 4}");

    @Test
    void samplesNpzHoldsExactlyTheCountAndTheClassEachSampleWasDrawnFor() throws Exception {
        Files.writeString(work.resolve("tiny-cfdg.yaml"), TINY_CFDG);
        Launcher.Result r = Launcher.launch(work, 600, "run", "tiny-cfdg.yaml");
        assertEquals(0, r.code(), r.toString());
        Map<String, Npz.Array> npz = Npz.read(onlyRunFolder().resolve("samples.npz"));
        Npz.Array samples = npz.get("samples");
        assertArrayEquals(new long[] {13, 1, 28, 28}, samples.shape(),
                "13 samples in batches of 4: three full batches and one of 1, nothing padded or dropped");
        assertEquals("<f4", samples.descr());
        assertTrue(Arrays.stream(samples.values()).allMatch(Double::isFinite));
        Npz.Array labels = npz.get("labels");
        assertArrayEquals(new long[] {13}, labels.shape());
        double[] expected = new double[13];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i % 10; // Fashion-MNIST's 10 classes in turn, across batch boundaries
        }
        assertArrayEquals(expected, labels.values(), 0, "sample i is drawn for class i mod 10");
        // the last sample (alone in its batch) is a real sample, not a copy of another
        int per = 28 * 28;
        double[] last = Arrays.copyOfRange(samples.values(), 12 * per, 13 * per);
        for (int i = 0; i < 12; i++) {
            assertFalse(Arrays.equals(last, Arrays.copyOfRange(samples.values(), i * per, (i + 1) * per)), "sample " + i);
        }
    }

    @Test
    void metricsEveryKStepsBecomeCurvesOverTraining() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY);
        Launcher.Result r = Launcher.launch(work, 600, "run", "tiny.yaml", "--set", "train.eval_every=2",
                "--set", "train.eval_samples=3", "--set", "metrics=[{name: cost}]");
        assertEquals(0, r.code(), r.toString());
        List<String> nfe = Files.readAllLines(mlflowRun().resolve("metrics/eval.nfe"));
        assertEquals(2, nfe.size(), "at step 2 (during training, EMA weights) and at step 4 (the final one): " + nfe);
        assertTrue(nfe.get(0).endsWith(" 2") && nfe.get(1).endsWith(" 4"), nfe.toString());
        assertTrue(Files.readString(mlflowRun().resolve("params/train.eval_every")).trim().equals("2"));
    }

    @Test
    void resumeContinuesTheSameRunFromItsLastCheckpoint() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY);
        assertEquals(0, Launcher.launch(work, 600, "run", "tiny.yaml").code());
        Launcher.Result r = Launcher.launch(work, 600, "run", "tiny.yaml", "--resume", "--set", "train.steps=6");
        assertEquals(0, r.code(), r.toString());
        Path run = onlyRunFolder();
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000006")));
        List<String> loss = Files.readAllLines(mlflowRun().resolve("metrics/train.loss"));
        assertEquals(3, loss.size(), "steps 2 and 4, then 6 after resuming, in one MLflow run: " + loss);
        assertTrue(loss.get(2).endsWith(" 6"), loss.toString());
    }

    /** A failure inside the run (here: nothing to sample from) ends the MLflow run FAILED with the reason. */
    @Test
    void aFailingRunIsRecordedFailedWithItsReason() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY.replace("steps: 4,", "steps: 0,"));
        Launcher.Result r = Launcher.launch(work, 600, "run", "tiny.yaml");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("holds no checkpoint"), r.err());
        assertFalse(r.err().contains("\tat "), "one message, no stack trace: " + r.err());
        assertTrue(Files.readString(mlflowRun().resolve("meta.yaml")).contains("status: 4"), "FAILED");
        assertTrue(Files.readString(mlflowRun().resolve("tags/difflab.failure")).contains("holds no checkpoint"));
    }

    private Path onlyRunFolder() throws IOException {
        try (Stream<Path> runs = Files.list(work.resolve("runs"))) {
            List<Path> all = runs.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private Path mlflowRun() throws IOException {
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            List<Path> runs = walk.filter(p -> Files.isRegularFile(p.resolve("meta.yaml")) && p.getNameCount()
                    == work.resolve("mlruns").getNameCount() + 2).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }
}
