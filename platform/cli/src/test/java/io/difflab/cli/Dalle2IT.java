package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DALL-E 2 (unCLIP) end to end through the distribution's plugin files (clip, dalle2, shapes-captions,
 * metrics): a tiny CLIP trained first by the clip plugin, then a tiny dalle2 reading it by run name trains
 * its diffusion prior and its decoder on real shapes-captions scenes and samples the spec's prompts
 * through caption → prior (two candidates) → decoder, tracked in the local MLflow store; the prior must
 * learn (its loss falls well below that of predicting nothing), the decoder's conditions are dropped at
 * their own rates; resumed runs sample again without training: with one prior candidate, and variations of
 * reference images decoded from their own CLIP embeddings, and frames interpolating between two of them.
 */
class Dalle2IT {

    private static final String CLIP = """
            name: clip-tiny
            seed: 1
            device: cpu
            model: {name: clip, patch_size: 8, image_width: 32, image_layers: 1, image_heads: 2, text_width: 32,
                    text_layers: 1, text_heads: 2, embedding_size: 16, context_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: shapes}
            train: {steps: 150, batch_size: 32, lr: 2.0e-3, warmup_steps: 10, log_every: 50, checkpoint_every: 150}
            metrics: []
            """;

    /** A tiny unCLIP over that CLIP; SAMPLE and METRICS filled in. */
    private static final String DALLE2 = """
            name: dalle2-tiny
            seed: 3
            device: cpu
            model: {name: dalle2, clip: runs/clip-tiny, prior_steps: 200, prior_width: 32, prior_layers: 2,
                    prior_heads: 2, prior_timesteps: 100, prior_sampling_steps: 10, prior_guidance_scale: 2.0,
                    prior_candidates: 2}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: shapes}
            schedule: {name: cosine, timesteps: 100}
            estimator: {name: text-unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [16], dropout: 0.0, text_width: 16, embedding_tokens: 4}
            train: {steps: 30, batch_size: 16, lr: 2.0e-3, warmup_steps: 2, log_every: 5, checkpoint_every: 30,
                    eval_every: 15, eval_samples: 2}
            sampler: {name: ancestral, steps: 10}
            guidance: {name: classifier-free, scale: 3.0}
            sample: {count: 8, batch_size: 8, SAMPLE}
            metrics: [METRICS]
            """;

    private static final String PROMPTS = "prompts: [\"two red circles\", \"a blue square\", \"three green stars\", "
            + "\"a yellow triangle\"]";

    @TempDir
    Path work;

    @Test
    void thePriorAndTheDecoderTrainAndPromptsGoThroughTheChain() throws Exception {
        Files.writeString(work.resolve("clip.yaml"), CLIP);
        Launcher.Result clip = Launcher.launch(work, 900, "run", "clip.yaml");
        assertEquals(0, clip.code(), clip.toString());

        String spec = DALLE2.replace("SAMPLE", PROMPTS)
                .replace("METRICS", "{name: clip-score, clip: runs/clip-tiny}, {name: cost}");
        Files.writeString(work.resolve("dalle2.yaml"), spec);
        Launcher.Result valid = Launcher.launch(work, 300, "validate", "dalle2.yaml");
        assertEquals(0, valid.code(), valid.toString());
        Launcher.Result r = Launcher.launch(work, 900, "run", "dalle2.yaml");
        assertEquals(0, r.code(), r.toString());
        Path run = runFolder(r);
        assertTrue(Files.isDirectory(run.resolve("checkpoints/prior/step-00000200")), "the prior trains first");
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000030")), "then the decoder (train.steps)");
        assertTrue(ConditionedPluginIT.npyHeaders(run.resolve("samples.npz")).contains("'shape': (8, 3, 32, 32)"));

        Path mlrun = mlflowRun("dalle2-tiny");
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        // predicting zeros costs mean(z_i²) = 1 (‖z_i‖² = E): the prior must do much better than that
        List<Double> prior = values(mlrun.resolve("metrics/prior.train.loss"));
        double late = prior.subList(prior.size() - 3, prior.size()).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(late < 0.25 && late < prior.get(0) / 2, "the prior learns: " + prior);
        // and it does better than the best caption-blind constant, the batch's variance of z_i
        List<Double> variance = values(mlrun.resolve("metrics/prior.train.embedding_variance"));
        double lateVariance = mean(variance.subList(variance.size() - 3, variance.size()));
        assertTrue(late < 0.5 * lateVariance, "prior loss " + late + " vs variance of z_i " + lateVariance);
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/prior.train.dropped")));
        // z_i dropped 10%, the caption 50% of the time, each by its own draws
        double image = mean(values(mlrun.resolve("metrics/train.dropped.image_embedding")));
        double caption = mean(values(mlrun.resolve("metrics/train.dropped.caption")));
        assertTrue(image < 0.3 && caption > 0.3 && caption < 0.7, "dropped: z_i " + image + ", caption " + caption);
        // 10 prior steps, guided (2 passes), for 2 candidates; 10 decoder steps with classifier-free guidance
        assertEquals(40.0, values(mlrun.resolve("metrics/sample.prior_nfe")).get(0));
        assertEquals(20.0, values(mlrun.resolve("metrics/sample.nfe")).get(0));
        double score = values(mlrun.resolve("metrics/eval.clip_score")).get(0);
        assertTrue(Double.isFinite(score), "CLIP score of the samples: " + score);
        List<Double> evaluations = values(mlrun.resolve("metrics/eval.nfe"));
        assertTrue(evaluations.size() >= 2, "an evaluation during the decoder's training samples through the prior: "
                + evaluations);

        assertTrue(r.err().contains("train prior"), "this run trained the prior");

        // the prior's sampling settings only: the trained model samples again without training
        Launcher.Result oneCandidate = Launcher.launch(work, 600, "run", "dalle2.yaml", "--resume",
                "--set", "model.prior_candidates=1");
        assertEquals(0, oneCandidate.code(), oneCandidate.toString());
        assertTrue(!oneCandidate.err().contains("train prior") && !oneCandidate.err().contains("train "),
                "no training again: " + oneCandidate.err());
        assertTrue(Files.readString(runFolder(oneCandidate).resolve("results.properties"))
                .contains("sample.prior_nfe=20.0"), "10 guided steps for one candidate");

        // the same training, variations of four test images: decoded from their own z_i, no prior, no training
        Files.writeString(work.resolve("dalle2.yaml"), DALLE2.replace("SAMPLE", "reference_images: [0, 1, 2, 3]")
                .replace("METRICS", "{name: cost}"));
        Launcher.Result variations = Launcher.launch(work, 600, "run", "dalle2.yaml", "--resume");
        assertEquals(0, variations.code(), variations.toString());
        assertTrue(!variations.err().contains("train "), "no training again: " + variations.err());
        Path again = runFolder(variations);
        assertTrue(Files.readString(again.resolve("results.properties")).contains("sample.prior_nfe=0.0"),
                Files.readString(again.resolve("results.properties")));
        assertTrue(ConditionedPluginIT.npyHeaders(again.resolve("samples.npz")).contains("'shape': (8, 3, 32, 32)"));

        // eight frames between the CLIP embeddings of test images 0 and 1
        Launcher.Result frames = Launcher.launch(work, 600, "run", "dalle2.yaml", "--resume",
                "--set", "model.interpolate=true", "--set", "sample.reference_images=[0, 1]");
        assertEquals(0, frames.code(), frames.toString());
        assertTrue(!frames.err().contains("train "), "no training again: " + frames.err());
        assertTrue(ConditionedPluginIT.npyHeaders(runFolder(frames).resolve("samples.npz"))
                .contains("'shape': (8, 3, 32, 32)"));
    }

    @Test
    void aSpecWithoutItsClipIsRefusedNamingTheKey() throws Exception {
        Files.writeString(work.resolve("bad.yaml"), DALLE2.replace("clip: runs/clip-tiny, ", "")
                .replace("SAMPLE", PROMPTS).replace("METRICS", "{name: cost}"));
        Launcher.Result r = Launcher.launch(work, 300, "validate", "bad.yaml");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("model.clip"), r.err());
        assertTrue(!Files.exists(work.resolve("runs")), "validation creates nothing");
    }

    private Path runFolder(Launcher.Result r) {
        Matcher m = Pattern.compile("run folder: (\\S+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        return work.resolve(m.group(1));
    }

    /** The MLflow run of {@code name} in the local store. */
    private Path mlflowRun(String name) throws IOException {
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            List<Path> runs = walk.filter(p -> Files.isRegularFile(p.resolve("tags/mlflow.runName")))
                    .filter(p -> readQuietly(p.resolve("tags/mlflow.runName")).strip().startsWith(name)).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Double> values(Path metric) throws IOException {
        assertTrue(Files.isRegularFile(metric), metric + " is tracked");
        return Files.readAllLines(metric).stream().map(line -> Double.parseDouble(line.split(" ")[1])).toList();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(d -> d).average().orElseThrow();
    }
}
