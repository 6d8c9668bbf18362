package io.difflab.cli;

import io.difflab.cli.fixtures.PluginJar;
import io.difflab.cli.fixtures.text.CaptionFamily;
import io.difflab.host.plugin.PlatformVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captions end to end through the distribution: a family plugin made of kit parts only (word
 * tokenizer, token encoder, the {@code text-unet} estimator with its embedding-bag text encoder)
 * trains on real Fashion-MNIST captions with caption dropout, then samples the spec's prompts
 * (one of them the empty caption, ∅) under classifier-free guidance.
 */
class TextConditionedPluginIT {

    private static final String SPEC = """
            name: captions
            seed: 3
            device: cpu
            model: {name: toy-text, p_uncond: 0.25}
            dataset: {name: fashion-mnist, limit: 512, classes: [7, 8]}
            schedule: {name: linear, timesteps: 100}
            estimator: {name: text-unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [14], num_heads: 2, text_width: 16}
            train: {steps: 30, batch_size: 16, lr: 2.0e-3, warmup_steps: 5, log_every: 10, checkpoint_every: 30}
            sampler: {name: ddim, steps: 8}
            guidance: {name: classifier-free, scale: 3}
            sample: {count: 6, batch_size: 6, prompts: ["a photo of a sneaker", "a photo of a bag", ""]}
            metrics: []
            """;

    @TempDir
    Path work;

    @Test
    void captionsTrainATextUNetAndPromptsSampleIt() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        PluginJar.plugin("toy-text", "1.0.0", ">=" + PlatformVersion.current().kit()).extension(CaptionFamily.class)
                .write(plugins.resolve("toy-text-1.0.0.jar"));
        Files.writeString(work.resolve("captions.yaml"), SPEC);

        Launcher.Result r = Launcher.launch(work, 900, "run", "captions.yaml", "--plugins-dir", plugins.toString());
        assertEquals(0, r.code(), r.toString());

        Path run;
        try (Stream<Path> runs = Files.list(work.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertEquals(List.of("a photo of a sneaker", "a photo of a bag", "", "a photo of a sneaker",
                "a photo of a bag", ""), Files.readAllLines(run.resolve("captions.txt")));
        assertTrue(Files.readString(run.resolve("spec.yaml")).contains("text_encoder: embedding-bag"),
                "the resolved spec names the text encoder");
        Path mlrun;
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            mlrun = walk.filter(p -> Files.isRegularFile(p.resolve("meta.yaml"))
                    && p.getNameCount() == work.resolve("mlruns").getNameCount() + 2).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(mlrun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals("text-unet", Files.readString(mlrun.resolve("params/estimator.name")).trim());
        for (String line : Files.readAllLines(mlrun.resolve("metrics/train.loss"))) {
            double loss = Double.parseDouble(line.split(" ")[1]);
            assertTrue(loss > 0 && loss < 2, "a finite L_simple: " + line);
        }
        assertEquals(3, Files.readAllLines(mlrun.resolve("metrics/train.dropped")).size(), "steps 10, 20, 30");
        String nfe = Files.readAllLines(mlrun.resolve("metrics/sample.nfe")).get(0).split(" ")[1];
        assertEquals(16.0, Double.parseDouble(nfe), "8 DDIM steps, 2 estimator calls each (CFG)");
    }
}
