package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DALL-E end to end through the distribution and its plugin file: the dVAE and then the transformer
 * trained on real shapes-captions scenes, images generated for the spec's prompts with N candidates
 * each reranked by a CLIP (the tiny TorchScript fixture, named as a released one: model.pt with its
 * tokenizer.json beside it), everything tracked in the local MLflow store; a resumed run that changes
 * only how tokens are drawn samples without training again; another shows the dVAE's reconstructions
 * of test images; a spec with a diffusion section is refused naming the family. An evaluation during the transformer's
 * training samples with the dVAE trained before it.
 */
class DalleIT {

    /** The tiny CLIP fixture (random weights) and its vocabulary sample, made by tools/clip. */
    private static final Path CLIP = Path.of("../kit/src/test/resources/io/difflab/kit/clip/tiny-clip.pt")
            .toAbsolutePath().normalize();
    private static final Path CLIP_TOKENIZER = Path.of(
            "../kit/src/test/resources/io/difflab/kit/text/clip-bpe-sample.tokenizer.json").toAbsolutePath().normalize();

    private static String spec() {
        return """
                name: dalle-tiny
                seed: 2
                device: cpu
                model: {name: dalle, codebook_size: 32, dvae_channels: 16, dvae_downsamples: 3, dvae_steps: 8,
                        temperature_anneal_steps: 8, kl_warmup_steps: 4, width: 32, layers: 2, heads: 2,
                        text_length: 20, top_k: 8, candidates: 4, rerank_clip: clip/model.pt}
                dataset: {name: shapes-captions, train_size: 512, test_size: 64, folder: shapes-cache}
                train: {steps: 6, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 2, checkpoint_every: 3,
                        eval_every: 3, eval_samples: 2}
                sample: {count: 5, batch_size: 8, prompts: ["two red circles", "a blue square left of a green star"]}
                metrics: [{name: cost}]
                """;
    }

    /** The tiny CLIP where the spec names it, as OpenAI's released files sit: model.pt, tokenizer.json. */
    private static void placeClip(Path work) throws java.io.IOException {
        Path dir = Files.createDirectories(work.resolve("clip"));
        Files.copy(CLIP, dir.resolve("model.pt"));
        Files.copy(CLIP_TOKENIZER, dir.resolve("tokenizer.json"));
    }

    @TempDir
    Path work;

    @Test
    void bothStagesTrainAndRerankedSamplesFollowThePrompts() throws Exception {
        Files.writeString(work.resolve("dalle.yaml"), spec());
        placeClip(work);
        Launcher.Result valid = Launcher.launch(work, 300, "validate", "dalle.yaml");
        assertEquals(0, valid.code(), valid.toString());
        Launcher.Result r = Launcher.launch(work, 900, "run", "dalle.yaml");
        assertEquals(0, r.code(), r.toString());

        Path run = onlyRun(work.resolve("runs"));
        assertTrue(Files.isDirectory(run.resolve("checkpoints/dvae/step-00000008")), "the dVAE trains first");
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000006")), "then the transformer (train.steps)");
        assertEquals(List.of("two red circles", "a blue square left of a green star", "two red circles",
                "a blue square left of a green star", "two red circles"), Files.readAllLines(run.resolve("captions.txt")));
        assertTrue(ConditionedPluginIT.npyHeaders(run.resolve("samples.npz")).contains("'shape': (5, 3, 32, 32)"));

        Path mlrun = onlyRun(work.resolve("mlruns"), 2);
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals(4, Files.readAllLines(mlrun.resolve("metrics/dvae.train.loss")).size(), "dVAE steps 2, 4, 6, 8");
        for (String line : Files.readAllLines(mlrun.resolve("metrics/dvae.train.perplexity"))) {
            double perplexity = value(line);
            assertTrue(perplexity >= 1 && perplexity <= 32, "between 1 and K = 32 codes in use: " + line);
        }
        List<String> temperature = Files.readAllLines(mlrun.resolve("metrics/dvae.train.temperature"));
        assertTrue(value(temperature.get(0)) > value(temperature.get(temperature.size() - 1)), "annealed: " + temperature);
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/dvae.train.recon_mse")));
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/train.loss_image")));
        assertTrue(Files.isRegularFile(mlrun.resolve("metrics/train.loss_text")));
        // 32x32 images downsampled 8 times: 4x4 = 16 tokens, each a forward pass, for 4 candidates
        assertEquals(64.0, value(Files.readAllLines(mlrun.resolve("metrics/sample.nfe")).get(0)));
        assertEquals(4.0, value(Files.readAllLines(mlrun.resolve("metrics/sample.candidates")).get(0)));
        assertTrue(Files.readString(run.resolve("results.properties")).contains("eval.nfe=64.0"));
        // an evaluation during the transformer's training samples with the trained dVAE too
        List<String> evaluations = Files.readAllLines(mlrun.resolve("metrics/eval.nfe"));
        assertEquals(2, evaluations.size(), "at step 3 and after training: " + evaluations);
        assertTrue(evaluations.get(0).endsWith(" 3"), evaluations.toString());

        // the same trained model, one candidate and top-k 2: the finished run resumed with other sampling
        // options samples in a new run from its training, without training again and leaving the first as it was
        String firstResults = Files.readString(run.resolve("results.properties"));
        Launcher.Result again = Launcher.launch(work, 600, "run", "dalle.yaml", "--resume",
                "--set", "model.candidates=1", "--set", "model.top_k=2");
        assertEquals(0, again.code(), again.toString());
        assertEquals(4, Files.readAllLines(mlrun.resolve("metrics/dvae.train.loss")).size(), "no dVAE step again");
        assertEquals(3, Files.readAllLines(mlrun.resolve("metrics/train.loss")).size(), "no transformer step again");
        assertEquals(firstResults, Files.readString(run.resolve("results.properties")), "the finished run is unchanged");
        Path second;
        try (Stream<Path> list = Files.list(work.resolve("runs"))) {
            List<Path> others = list.filter(Files::isDirectory).filter(p -> !p.equals(run)).toList();
            assertEquals(1, others.size(), others.toString());
            second = others.get(0);
        }
        assertTrue(Files.readString(second.resolve("results.properties")).contains("sample.nfe=16.0"));
        Path mlruns = work.resolve("mlruns");
        try (Stream<Path> walk = Files.walk(mlruns, 2)) {
            List<Path> others = walk.filter(p -> Files.isRegularFile(p.resolve("meta.yaml"))
                    && p.getNameCount() == mlruns.getNameCount() + 2 && !p.equals(mlrun)).toList();
            assertEquals(1, others.size(), others.toString());
            assertFalse(Files.exists(others.get(0).resolve("metrics/train.loss"))
                    || Files.exists(others.get(0).resolve("metrics/dvae.train.loss")), "the new run trains nothing");
            assertEquals(16.0, value(Files.readAllLines(others.get(0).resolve("metrics/sample.nfe")).get(0)));
        }

        // reference images instead of prompts: the dVAE's reconstructions, each beside its image
        Launcher.Result reconstruct = Launcher.launch(work, 600, "run", "dalle.yaml", "--resume",
                "--set", "model.candidates=1", "--set", "sample.prompts=[]", "--set", "sample.reference_images=[0, 1, 2]",
                "--set", "sample.count=3");
        assertEquals(0, reconstruct.code(), reconstruct.toString());
        Path third;
        try (Stream<Path> list = Files.list(work.resolve("runs"))) {
            List<Path> others = list.filter(Files::isDirectory).filter(p -> !p.equals(run) && !p.equals(second)).toList();
            assertEquals(1, others.size(), others.toString());
            third = others.get(0);
        }
        assertTrue(ConditionedPluginIT.npyHeaders(third.resolve("samples.npz")).contains("'shape': (6, 3, 32, 32)"),
                "three (image, reconstruction) pairs");
        String results = Files.readString(third.resolve("results.properties"));
        assertTrue(results.contains("sample.reconstruction_mse=") && results.contains("sample.codes_used="), results);
    }

    @Test
    void aDiffusionSectionIsRefusedNamingTheFamily() throws Exception {
        Files.writeString(work.resolve("bad.yaml"), spec() + "sampler: {name: ddim, steps: 10}\n");
        Launcher.Result r = Launcher.launch(work, 300, "validate", "bad.yaml");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("model 'dalle' reads no sampler section"), r.err());
        assertTrue(!Files.exists(work.resolve("runs")), "validation creates nothing");
    }

    private static double value(String metricLine) {
        return Double.parseDouble(metricLine.split(" ")[1]);
    }

    private static Path onlyRun(Path runs) throws Exception {
        try (Stream<Path> list = Files.list(runs)) {
            List<Path> all = list.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static Path onlyRun(Path mlruns, int depth) throws Exception {
        try (Stream<Path> walk = Files.walk(mlruns, depth)) {
            List<Path> runs = walk.filter(p -> Files.isRegularFile(p.resolve("meta.yaml"))
                    && p.getNameCount() == mlruns.getNameCount() + depth).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }
}
