package io.difflab.cli;

import io.difflab.cli.fixtures.PluginJar;
import io.difflab.cli.fixtures.conditioned.BagOfWordsUNet;
import io.difflab.cli.fixtures.conditioned.CaptionedFamily;
import io.difflab.host.plugin.PlatformVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conditioned model that touches only its own plugin: a family with its own condition kind
 * (a caption's bag of words), its encoder and an estimator that reads it, built into a plugin file
 * in a temporary folder and run through the distribution on real Fashion-MNIST captions: training
 * with condition dropout, classifier-free sampling with the prompts of the spec, tracking.
 */
class ConditionedPluginIT {

    private static final String SPEC = """
            name: captioned
            seed: 5
            device: cpu
            model: {name: toy-captioned, p_uncond: 0.25}
            dataset: {name: fashion-mnist, limit: 512, classes: [7, 8]}
            schedule: {name: linear, timesteps: 100}
            estimator: {name: bow-unet, base_channels: 8}
            train: {steps: 40, batch_size: 16, lr: 2.0e-3, warmup_steps: 5, log_every: 10, checkpoint_every: 20}
            sampler: {name: ddim, steps: 10}
            guidance: {name: classifier-free, scale: 3}
            sample: {count: 6, batch_size: 4, prompts: ["a photo of a sneaker", "a photo of a bag"]}
            metrics: []
            """;

    @TempDir
    Path work;

    @Test
    void aFamilyWithItsOwnConditionKindTrainsAndSamplesWithPromptsFromItsPluginFile() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJar.plugin("captioned", "1.0.0", ">=" + PlatformVersion.current().kit())
                .extension(CaptionedFamily.class).extension(BagOfWordsUNet.class)
                .with(io.difflab.cli.fixtures.conditioned.BagOfWords.class)
                .write(plugins.resolve("captioned-1.0.0.jar"));
        Files.writeString(work.resolve("captioned.yaml"), SPEC);

        Launcher.Result valid = Launcher.launch(work, 300, "validate", "captioned.yaml", "--plugins-dir",
                plugins.toString());
        assertEquals(0, valid.code(), valid.toString());
        Launcher.Result r = Launcher.launch(work, 900, "run", "captioned.yaml", "--plugins-dir", plugins.toString());
        assertEquals(0, r.code(), r.toString());

        Path run;
        try (Stream<Path> runs = Files.list(work.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertEquals(List.of("a photo of a sneaker", "a photo of a bag", "a photo of a sneaker", "a photo of a bag",
                "a photo of a sneaker", "a photo of a bag"), Files.readAllLines(run.resolve("captions.txt")),
                "the spec's prompts, cycled over the samples");
        assertTrue(npyHeaders(run.resolve("samples.npz")).contains("'shape': (6, 1, 28, 28)"), "six 28x28 samples");

        Path mlrun = mlflowRun();
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals(4, Files.readAllLines(mlrun.resolve("metrics/train.loss")).size(), "steps 10, 20, 30, 40");
        for (String line : Files.readAllLines(mlrun.resolve("metrics/train.dropped"))) {
            double dropped = Double.parseDouble(line.split(" ")[1]);
            assertTrue(dropped >= 0 && dropped <= 1, "the share of captions dropped to the empty bag: " + line);
        }
        String nfe = Files.readAllLines(mlrun.resolve("metrics/sample.nfe")).get(0).split(" ")[1];
        assertEquals(20.0, Double.parseDouble(nfe), "10 DDIM steps, 2 estimator calls each (CFG)");
        assertEquals("toy-captioned", Files.readString(mlrun.resolve("params/model.name")).trim());
        assertTrue(Files.readString(mlrun.resolve("params/sample.prompts")).contains("a photo of a bag"));
        assertTrue(Files.isRegularFile(mlrun.resolve("artifacts/captions.txt")));
    }

    /** Captions the model trains on but an uncaptioned image folder lacks: a validation error, nothing created. */
    @Test
    void validationNamesAConditionTheDatasetLacks() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJar.plugin("captioned", "1.0.0", ">=" + PlatformVersion.current().kit())
                .extension(CaptionedFamily.class).extension(BagOfWordsUNet.class)
                .with(io.difflab.cli.fixtures.conditioned.BagOfWords.class)
                .write(plugins.resolve("captioned-1.0.0.jar"));
        Path images = Files.createDirectories(work.resolve("images"));
        for (int i = 0; i < 8; i++) {
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png",
                    images.resolve("image-" + i + ".png").toFile());
        }
        Files.writeString(work.resolve("bad.yaml"), SPEC.replace("{name: fashion-mnist, limit: 512, classes: [7, 8]}",
                "{name: image-folder, folder: " + images + ", image_size: 28, channels: 1, test_fraction: 0.25}"));
        Launcher.Result r = Launcher.launch(work, 300, "validate", "bad.yaml", "--plugins-dir", plugins.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("caption"), r.err());
        assertTrue(!Files.exists(work.resolve("runs")), "validation creates nothing");
    }

    /** The NumPy headers of the arrays in an .npz file (a zip of .npy files). */
    static String npyHeaders(Path npz) throws Exception {
        StringBuilder headers = new StringBuilder();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(npz))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] head = zip.readNBytes(128);
                headers.append(e.getName()).append(": ").append(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return headers.toString();
    }

    private Path mlflowRun() throws Exception {
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            List<Path> runs = walk.filter(p -> Files.isRegularFile(p.resolve("meta.yaml")) && p.getNameCount()
                    == work.resolve("mlruns").getNameCount() + 2).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }
}
