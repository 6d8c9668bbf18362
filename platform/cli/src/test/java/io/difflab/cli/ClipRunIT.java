package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny CLIP end to end through the built distribution's plugin files (clip, shapes-captions,
 * metrics): {@code difflab run} trains it on real shapes-captions and evaluates it zero-shot and by
 * retrieval without drawing samples; a second run reuses it by name for the CLIP score of the real
 * test images; {@code eval} and {@code bench} work for a model that generates nothing, and
 * validation refuses a metric that needs samples.
 */
class ClipRunIT {

    private static final String CLIP = """
            name: clip-tiny
            seed: 1
            device: cpu
            model: {name: clip, patch_size: 8, image_width: 16, image_layers: 1, image_heads: 2, text_width: 16,
                    text_layers: 1, text_heads: 2, embedding_size: 16, context_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            train: {steps: 20, batch_size: 16, lr: 1.0e-3, warmup_steps: 2, log_every: 10, checkpoint_every: 10}
            metrics:
              - {name: caption-zero-shot, limit: 32}
              - {name: clip-retrieval, limit: 32}
            """;

    private static final String REAL = """
            name: real-tiny
            seed: 1
            device: cpu
            model: {name: test-images}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            sample: {count: 12, batch_size: 8}
            metrics:
              - {name: clip-score, clip: runs/clip-tiny}
            """;

    @TempDir
    Path work;

    @Test
    void aTinyClipTrainsIsEvaluatedAndIsReusedByName() throws Exception {
        String folder = work.resolve("shapes").toString();
        Files.writeString(work.resolve("clip.yaml"), CLIP.replace("FOLDER", folder));
        Files.writeString(work.resolve("real.yaml"), REAL.replace("FOLDER", folder));

        Launcher.Result r = Launcher.launch(work, 900, "run", "clip.yaml");
        assertEquals(0, r.code(), r.toString());
        Path run = runFolder("clip-tiny");
        assertFalse(Files.exists(run.resolve("samples.npz")), "a CLIP draws no samples");
        for (String f : List.of("clip.json", "vocabulary.txt", "step-00000020/ema.ndlist")) {
            assertTrue(Files.isRegularFile(run.resolve("checkpoints").resolve(f)), f + " beside the checkpoints");
        }
        Properties results = results(run);
        for (String key : List.of("eval.zero_shot.count_acc", "eval.zero_shot.colour_acc", "eval.zero_shot.shape_acc",
                "eval.retrieval.image_to_text_r1", "eval.retrieval.text_to_image_r1")) {
            double v = Double.parseDouble(results.getProperty(key, "NaN"));
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        assertEquals(32.0, Double.parseDouble(results.getProperty("eval.retrieval.n")));

        Launcher.Result real = Launcher.launch(work, 900, "run", "real.yaml");
        assertEquals(0, real.code(), real.toString());
        Path realRun = runFolder("real-tiny");
        double score = Double.parseDouble(results(realRun).getProperty("eval.clip_score", "NaN"));
        assertTrue(score >= 0 && score <= 100, "CLIP score of the real images with the tiny CLIP: " + score);
        assertTrue(Files.readString(realRun.resolve("captions.txt")).lines().count() == 12);

        Launcher.Result eval = Launcher.launch(work, 600, "eval", run.toString(), "--set",
                "metrics=[{name: clip-retrieval, limit: 16}]");
        assertEquals(0, eval.code(), eval.toString());
        assertEquals(16.0, Double.parseDouble(results(run).getProperty("eval.retrieval.n")),
                "eval merged its values into the run's results");

        Launcher.Result bench = Launcher.launch(work, 600, "bench", "clip.yaml", "--steps", "2", "--warmup", "1");
        assertEquals(0, bench.code(), bench.toString());
        assertTrue(bench.out().contains("train step") && bench.out().contains("generates no images"), bench.out());

        Files.writeString(work.resolve("bad.yaml"), CLIP.replace("FOLDER", folder)
                .replace("- {name: caption-zero-shot, limit: 32}", "- {name: fd}"));
        Launcher.Result bad = Launcher.launch(work, 300, "validate", "bad.yaml");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("metrics[0]") && bad.err().contains("generates none"), bad.err());
    }

    private Path runFolder(String name) throws IOException {
        try (Stream<Path> runs = Files.list(work.resolve("runs"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
        }
    }

    private static Properties results(Path run) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(run.resolve("results.properties"))) {
            p.load(reader);
        }
        return p;
    }
}
