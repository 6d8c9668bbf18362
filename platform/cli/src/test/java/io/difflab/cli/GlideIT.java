package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GLIDE end to end through the distribution's plugin files (glide, clip, shapes-captions, metrics): a
 * tiny noise-aware CLIP trains on real shapes-captions; a tiny GLIDE trains on the same scenes with
 * caption dropout and L_hybrid and samples the spec's prompts under classifier-free guidance; the same
 * trained GLIDE (resumed, so not trained again) samples them under CLIP guidance by that CLIP at
 * s = 0 and s = 30, and the CLIP score of the guided samples (measured by the same CLIP) must rise.
 * It inpaints the right half of test images; a tiny upsampler refines test images' low-resolution
 * copies, and a cascade samples the prompts through its base model and upsampler. Everything is
 * tracked in the local MLflow store.
 */
class GlideIT {

    private static final String CLIP = """
            name: clip-noised
            seed: 1
            device: cpu
            model: {name: clip, noise_aware: true, noise_schedule: cosine, timesteps: 100, patch_size: 8,
                    image_width: 32, image_layers: 2, image_heads: 2, text_width: 32, text_layers: 1, text_heads: 2,
                    embedding_size: 16, context_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            train: {steps: 400, batch_size: 32, lr: 1.0e-3, warmup_steps: 5, log_every: 100, checkpoint_every: 400}
            metrics: []
            """;

    private static final String GLIDE = """
            name: glide-tiny
            seed: 2
            device: cpu
            model: {name: glide, text_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            schedule: {name: cosine, timesteps: 100}
            estimator: {base_channels: 16, channel_mult: [1, 2], num_res_blocks: 1, attention_resolutions: [16],
                        num_head_channels: 16, text_width: 32, text_layers: 1, text_heads: 2}
            train: {steps: 150, batch_size: 16, lr: 1.0e-3, warmup_steps: 5, ema_decay: 0.9, log_every: 10,
                    checkpoint_every: 150}
            sampler: {name: ancestral, steps: 10}
            GUIDANCE
            sample: {count: 8, batch_size: 8, prompts: ["two red circles", "a blue square left of a green star"]}
            metrics: [{name: cost}, {name: clip-score, clip: runs/clip-noised}]
            """;

    @TempDir
    Path work;

    @Test
    void aTinyGlideTrainsAndSamplesPromptsUnderClassifierFreeAndClipGuidance() throws Exception {
        String folder = work.resolve("shapes").toString();
        write("clip.yaml", CLIP.replace("FOLDER", folder));
        write("glide.yaml", glide(folder, "guidance: {name: classifier-free, scale: 3}"));
        write("clip0.yaml", glide(folder, "guidance: {name: glide-clip, clip: runs/clip-noised, scale: 0}"));
        write("clip30.yaml", glide(folder, "guidance: {name: glide-clip, clip: runs/clip-noised, scale: 30}"));
        write("noclip.yaml", glide(folder, "guidance: {name: glide-clip}"));
        write("inpaint.yaml", glide(folder, "guidance: {name: glide-inpaint, mask: right, scale: 3}")
                .replace("green star\"]}", "green star\"], reference_images: [0, 0, 1, 1, 2, 2, 3, 3]}"));

        Launcher.Result invalid = Launcher.launch(work, 300, "validate", "noclip.yaml");
        assertEquals(2, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("guidance.clip: CLIP guidance needs a noise-aware CLIP"), invalid.err());

        Launcher.Result early = Launcher.launch(work, 300, "validate", "clip30.yaml");
        assertEquals(2, early.code(), early.toString());
        assertTrue(early.err().contains("guidance.clip: no CLIP at 'runs/clip-noised'"), early.err());
        assertTrue(!Files.exists(work.resolve("runs")), "validation creates nothing");

        Launcher.Result clip = Launcher.launch(work, 600, "run", "clip.yaml");
        assertEquals(0, clip.code(), clip.toString());

        Launcher.Result cfg = Launcher.launch(work, 900, "run", "glide.yaml");
        assertEquals(0, cfg.code(), cfg.toString());
        Path run = newestRun("glide-tiny");
        assertEquals(List.of("two red circles", "a blue square left of a green star", "two red circles",
                "a blue square left of a green star", "two red circles", "a blue square left of a green star",
                "two red circles", "a blue square left of a green star"), Files.readAllLines(run.resolve("captions.txt")));
        assertTrue(ConditionedPluginIT.npyHeaders(run.resolve("samples.npz")).contains("'shape': (8, 3, 32, 32)"));
        String spec = Files.readString(run.resolve("spec.yaml"));
        assertTrue(spec.contains("text_encoder: transformer") && spec.contains("p_uncond: 0.2"), spec);
        Properties results = results(run);
        assertEquals(20.0, value(results, "sample.nfe"), "10 ancestral steps, 2 estimator passes each (CFG)");
        assertEquals(0.0, value(results, "sample.grad_evals"));

        Path mlrun = mlflowRun(run);
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals("glide", Files.readString(mlrun.resolve("params/model.name")).trim());
        assertEquals("text-unet", Files.readString(mlrun.resolve("params/estimator.name")).trim());
        List<String> loss = Files.readAllLines(mlrun.resolve("metrics/train.loss"));
        assertEquals(15, loss.size(), "logged every 10 of 150 steps");
        assertTrue(metric(loss.get(loss.size() - 1)) < metric(loss.get(0)), "L_hybrid falls: " + loss);
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/train.vlb")), "the L_vlb term is logged");
        double dropped = Files.readAllLines(mlrun.resolve("metrics/train.dropped")).stream()
                .mapToDouble(GlideIT::metric).average().orElseThrow();
        assertTrue(dropped > 0.05 && dropped < 0.4, "about 20% of captions dropped to ∅: " + dropped);

        // the same trained GLIDE under CLIP guidance: new runs that only sample
        Launcher.Result unguided = Launcher.launch(work, 600, "run", "clip0.yaml", "--resume");
        assertEquals(0, unguided.code(), unguided.toString());
        Properties atZero = results(newestRun("glide-tiny"));
        Launcher.Result guided = Launcher.launch(work, 600, "run", "clip30.yaml", "--resume");
        assertEquals(0, guided.code(), guided.toString());
        Path clipRun = newestRun("glide-tiny");
        Properties atThirty = results(clipRun);
        assertTrue(!Files.exists(mlflowRun(clipRun).resolve("metrics/train.loss")), "no training step again");
        assertEquals("glide-clip", Files.readString(mlflowRun(clipRun).resolve("params/guidance.name")).trim());
        assertEquals(10.0, value(atThirty, "sample.nfe"), "one estimator pass per step");
        assertEquals(10.0, value(atThirty, "sample.grad_evals"), "one CLIP gradient per step");
        assertEquals(0.0, value(atZero, "sample.grad_evals"), "s = 0 is unguided");
        double before = value(atZero, "eval.clip_score");
        double after = value(atThirty, "eval.clip_score");
        assertTrue(after > before + 1, "CLIP guidance raises the CLIP score: " + before + " -> " + after);

        // inpainting: the right half repainted under each prompt, the left half kept from test images 0, 0, 1, 1, ...
        Launcher.Result inpaint = Launcher.launch(work, 600, "run", "inpaint.yaml", "--resume");
        assertEquals(0, inpaint.code(), inpaint.toString());
        Path inpainted = newestRun("glide-tiny");
        assertEquals(20.0, value(results(inpainted), "sample.nfe"), "CFG while repainting: 2 passes per step");
        double[] x = Npz.read(inpainted.resolve("samples.npz")).get("samples").values();
        for (int pair = 0; pair < 4; pair++) {
            double kept = 0;
            double repainted = 0;
            for (int i = 0; i < 3 * 32 * 32; i++) {
                double d = Math.abs(x[2 * pair * 3072 + i] - x[(2 * pair + 1) * 3072 + i]);
                if (i % 32 < 16) {
                    kept = Math.max(kept, d);
                } else {
                    repainted = Math.max(repainted, d);
                }
            }
            assertTrue(kept < 1e-3, "samples of one image keep its left half: " + kept);
            assertTrue(repainted > 0.05, "and repaint the right half each their own way: " + repainted);
        }
    }

    private static final String UPSAMPLER = """
            name: up-tiny
            seed: 3
            device: cpu
            model: {name: glide-upsample, factor: 2, text_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            schedule: {name: cosine, timesteps: 100}
            estimator: {base_channels: 16, channel_mult: [1, 2], num_res_blocks: 1, attention_resolutions: [16],
                        num_head_channels: 16, text_width: 32, text_layers: 1, text_heads: 2}
            train: {steps: 150, batch_size: 16, lr: 1.0e-3, warmup_steps: 5, ema_decay: 0.9, log_every: 10,
                    checkpoint_every: 150}
            sampler: {name: ancestral, steps: 10}
            sample: {count: 4, batch_size: 4, prompts: ["two red circles", "a blue square left of a green star"],
                     reference_images: [0, 0, 1, 1]}
            metrics: [{name: cost}]
            """;

    private static final String CASCADE = """
            name: cascade-tiny
            seed: 4
            device: cpu
            model: {name: glide-cascade, factor: 2, upsampler_steps: 100, upsampler_sampler_steps: 5, text_length: 16}
            dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: FOLDER}
            schedule: {name: cosine, timesteps: 100}
            estimator: {base_channels: 16, channel_mult: [1, 2], num_res_blocks: 1, attention_resolutions: [16],
                        num_head_channels: 16, text_width: 32, text_layers: 1, text_heads: 2}
            train: {steps: 100, batch_size: 16, lr: 1.0e-3, warmup_steps: 5, ema_decay: 0.9, log_every: 10,
                    checkpoint_every: 100}
            sampler: {name: ancestral, steps: 10}
            guidance: {name: classifier-free, scale: 3}
            sample: {count: 4, batch_size: 4, prompts: ["two red circles", "a blue square left of a green star"]}
            metrics: [{name: cost}]
            """;

    /**
     * The upsampler trains on the scenes' own 16x16 block means and refines those of test images 0, 0, 1, 1:
     * the two samples of one image must be closer to each other at 16x16 than to those of the other. Then
     * the cascade in one run: a 16x16 base model trains, then its upsampler; the prompts are sampled by
     * the base under CFG (10 steps, NFE 20) and refined by the upsampler (5 steps, NFE 5).
     */
    @Test
    void theUpsamplerRefinesTheLowResolutionReferenceImagesAndTheCascadeSamplesThroughIt() throws Exception {
        write("up.yaml", UPSAMPLER.replace("FOLDER", work.resolve("shapes").toString()));
        Launcher.Result r = Launcher.launch(work, 900, "run", "up.yaml");
        assertEquals(0, r.code(), r.toString());
        Path run = newestRun("up-tiny");
        assertEquals(10.0, value(results(run), "sample.nfe"));
        assertTrue(Files.readString(mlflowRun(run).resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        double[] x = Npz.read(run.resolve("samples.npz")).get("samples").values();
        double[][] low = new double[4][3 * 16 * 16];
        for (int n = 0; n < 4; n++) {
            for (int i = 0; i < 3 * 32 * 32; i++) {
                int c = i / 1024;
                int row = i / 32 % 32;
                int col = i % 32;
                low[n][c * 256 + row / 2 * 16 + col / 2] += x[n * 3072 + i] / 4;
            }
        }
        double same = Math.max(distance(low[0], low[1]), distance(low[2], low[3]));
        double other = Math.min(Math.min(distance(low[0], low[2]), distance(low[0], low[3])),
                Math.min(distance(low[1], low[2]), distance(low[1], low[3])));
        assertTrue(same < other, "samples of one low-resolution image agree at 16x16: " + same + " vs " + other);

        write("cascade.yaml", CASCADE.replace("FOLDER", work.resolve("shapes").toString()));
        Launcher.Result cascade = Launcher.launch(work, 900, "run", "cascade.yaml");
        assertEquals(0, cascade.code(), cascade.toString());
        Path cascadeRun = newestRun("cascade-tiny");
        assertTrue(Files.isDirectory(cascadeRun.resolve("checkpoints/step-00000100")), "the base model");
        assertTrue(Files.isDirectory(cascadeRun.resolve("checkpoints/upsampler/step-00000100")), "then the upsampler");
        assertTrue(ConditionedPluginIT.npyHeaders(cascadeRun.resolve("samples.npz")).contains("'shape': (4, 3, 32, 32)"));
        Properties facts = results(cascadeRun);
        assertEquals(20.0, value(facts, "sample.base_nfe"), "the base: 10 steps under CFG");
        assertEquals(25.0, value(facts, "sample.nfe"), "then the upsampler: 5 steps, unguided");
        Path cascadeMlrun = mlflowRun(cascadeRun);
        assertTrue(Files.readString(cascadeMlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals(10, Files.readAllLines(cascadeMlrun.resolve("metrics/upsampler.train.loss")).size());
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    private String glide(String folder, String guidance) {
        return GLIDE.replace("FOLDER", folder).replace("GUIDANCE", guidance);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(work.resolve(name), text);
    }

    private Path newestRun(String name) throws IOException {
        try (Stream<Path> runs = Files.list(work.resolve("runs"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith(name + "-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    /** The MLflow run folder of a run folder, by the id it recorded. */
    private Path mlflowRun(Path run) throws IOException {
        String id = Files.readString(run.resolve("tracking-run-id")).trim();
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            return walk.filter(p -> p.getFileName().toString().equals(id)).findFirst().orElseThrow();
        }
    }

    private static Properties results(Path run) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(run.resolve("results.properties"))) {
            p.load(reader);
        }
        return p;
    }

    private static double value(Properties results, String key) {
        return Double.parseDouble(results.getProperty(key, "NaN"));
    }

    private static double metric(String line) {
        return Double.parseDouble(line.split(" ")[1]);
    }
}
