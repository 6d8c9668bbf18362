package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semantic diffusion guidance end to end through the distribution's plugin files (clip, ddpm, sdg,
 * shapes-captions, metrics): a tiny noise-aware CLIP and a tiny unconditional DDPM of the same
 * forward process trained on real shapes-captions, then the DDPM's training sampled again and again
 * (`run --resume` with other guidance settings), tracked in the local MLflow store. Language guidance
 * must raise the CLIP score of the samples over the unguided samples of the same seed, image semantic
 * guidance their CLIP similarity to the reference images; structure, style and a multimodal mix run
 * through the same path and give finite samples.
 */
class SdgIT {

    private static final String CLIP = """
            name: clip-noised-tiny
            seed: 1
            device: cpu
            model: {name: clip, noise_aware: true, noise_schedule: cosine, timesteps: 100, patch_size: 8,
                    image_width: 32, image_layers: 2, image_heads: 2, text_width: 32, text_layers: 1, text_heads: 2,
                    embedding_size: 32, context_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: shapes}
            train: {steps: 400, batch_size: 32, lr: 1.0e-3, warmup_steps: 20, log_every: 50, checkpoint_every: 400}
            metrics: []
            """;

    /** An unconditional DDPM on the CLIP's forward process (cosine, T = 100); GUIDANCE, SAMPLE and METRIC filled in. */
    private static final String DDPM = """
            name: sdg-tiny
            seed: 1
            device: cpu
            model: {name: ddpm}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: shapes}
            schedule: {name: cosine, timesteps: 100}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [], dropout: 0.0}
            train: {steps: 40, batch_size: 16, lr: 2.0e-3, warmup_steps: 2, log_every: 10, checkpoint_every: 40}
            sampler: {name: ancestral, steps: 10}
            guidance: {GUIDANCE, clip: runs/clip-noised-tiny}
            sample: {count: 16, batch_size: 16, SAMPLE}
            metrics: [METRICS]
            """;

    private static final String PROMPTS = "prompts: [\"two red circles\", \"a blue square\", \"three green stars\", "
            + "\"a yellow triangle\"]";
    private static final String REFERENCES = "reference_images: [0, 1, 2, 3]";
    private static final String CLIP_SCORE = "{name: clip-score, clip: runs/clip-noised-tiny}";
    private static final String SIMILARITY = "{name: reference-similarity, clip: runs/clip-noised-tiny}";

    @TempDir
    Path work;

    @Test
    void languageAndImageGuidanceRaiseTheirScoresOverUnguidedSamplesOfTheSameSeed() throws Exception {
        Files.writeString(work.resolve("clip.yaml"), CLIP);
        Launcher.Result clip = Launcher.launch(work, 900, "run", "clip.yaml");
        assertEquals(0, clip.code(), clip.toString());

        // trains the DDPM and samples it unguided (s = 0), asking for the captions the CLIP score reads
        Path unguided = run("language.yaml", spec("name: sdg-language, scale: 0", PROMPTS, CLIP_SCORE), false);
        Properties plain = results(unguided);
        assertEquals(0.0, value(plain, "sample.grad_evals"), "s = 0 is unguided and takes no gradient");
        Path guided = run("language.yaml", spec("name: sdg-language, scale: 300", PROMPTS, CLIP_SCORE), true);
        Properties steered = results(guided);
        assertEquals(10.0, value(steered, "sample.grad_evals"), "one CLIP gradient per step of 10");
        double before = value(plain, "eval.clip_score");
        double after = value(steered, "eval.clip_score");
        assertTrue(after > before + 1, "language guidance raises the CLIP score: " + before + " -> " + after);
        List<Double> tracked = trackedValues("eval.clip_score");
        assertTrue(tracked.contains(before) && tracked.contains(after), "both runs in the MLflow store: " + tracked);

        Path same = run("semantic.yaml", spec("name: sdg-semantic, scale: 0", REFERENCES, SIMILARITY), true);
        Path toward = run("semantic.yaml", spec("name: sdg-semantic, scale: 300", REFERENCES, SIMILARITY), true);
        double similarity = value(results(same), "eval.reference_similarity");
        double guidedSimilarity = value(results(toward), "eval.reference_similarity");
        assertTrue(guidedSimilarity > similarity, "image semantic guidance brings samples closer to their references in"
                + " CLIP space: " + similarity + " -> " + guidedSimilarity);
        assertTrue(!Arrays.equals(samples(same), samples(toward)), "the guided samples differ");

        for (String head : List.of("name: sdg-structure, scale: 3000", "name: sdg-style, scale: 100",
                "name: sdg, language: 1.0, semantic: 1.0, structure: 100.0, style: 10.0, scale: 300")) {
            String sample = head.startsWith("name: sdg,") ? REFERENCES + ", " + PROMPTS : REFERENCES;
            Path r = run("other.yaml", spec(head, sample, SIMILARITY), true);
            double v = value(results(r), "eval.reference_similarity");
            assertTrue(v >= -1 && v <= 1, head + ": " + v);
            for (double x : samples(r)) {
                assertTrue(Double.isFinite(x), head + ": finite samples");
            }
        }

        Files.writeString(work.resolve("no-clip.yaml"), spec("name: sdg-language, scale: 1", PROMPTS, CLIP_SCORE)
                .replace(", clip: runs/clip-noised-tiny}\nsample", "}\nsample"));
        Launcher.Result invalid = Launcher.launch(work, 300, "validate", "no-clip.yaml");
        assertEquals(2, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("guidance.clip"), invalid.err());
    }

    private static String spec(String guidance, String sample, String metric) {
        return DDPM.replace("GUIDANCE", guidance).replace("SAMPLE", sample).replace("METRICS", metric);
    }

    /** Runs {@code spec} (resuming the trained DDPM when asked) and returns the run folder it names. */
    private Path run(String file, String spec, boolean resume) throws Exception {
        Files.writeString(work.resolve(file), spec);
        Launcher.Result r = resume ? Launcher.launch(work, 600, "run", file, "--resume")
                : Launcher.launch(work, 900, "run", file);
        assertEquals(0, r.code(), r.toString());
        Matcher m = Pattern.compile("run folder: (\\S+)").matcher(r.err());
        assertTrue(m.find(), "a new run folder for each sampling: " + r.err());
        Path folder = work.resolve(m.group(1));
        assertTrue(Files.isRegularFile(folder.resolve("samples.npz")), folder + " holds its samples");
        return folder;
    }

    private static double[] samples(Path run) throws IOException {
        Npz.Array a = Npz.read(run.resolve("samples.npz")).get("samples");
        assertEquals(16, a.shape()[0]);
        return a.values();
    }

    private static double value(Properties p, String key) {
        double v = Double.parseDouble(p.getProperty(key, "NaN"));
        assertTrue(Double.isFinite(v), key + " = " + p.getProperty(key));
        return v;
    }

    private static Properties results(Path run) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(run.resolve("results.properties"))) {
            p.load(reader);
        }
        return p;
    }

    /** Every value of {@code metric} the local MLflow store holds, over all its runs. */
    private List<Double> trackedValues(String metric) throws IOException {
        List<Double> values = new ArrayList<>();
        try (Stream<Path> files = Files.walk(work.resolve("mlruns"))) {
            for (Path f : files.filter(p -> p.endsWith(Path.of("metrics", metric))).toList()) {
                for (String line : Files.readAllLines(f)) {
                    values.add(Double.parseDouble(line.split(" ")[1]));
                }
            }
        }
        return values;
    }
}
