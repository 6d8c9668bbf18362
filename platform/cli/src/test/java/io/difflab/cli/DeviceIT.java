package io.difflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code device: gpu} on this CPU machine, through the distribution: refused before any run folder
 * or tracked run exists, with what to do. Both as built (the CPU native library bundled) and as the
 * {@code -Pgpu} build would be on an offline GPU node without a CUDA libtorch (the distribution's
 * jars without the native one, an empty DJL cache, publish.djl.ai out of reach).
 */
class DeviceIT {

    private static final String TINY = """
            name: tiny
            seed: 3
            model: {name: ddpm}
            dataset: {name: fashion-mnist, limit: 64}
            schedule: {name: linear, timesteps: 50}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [], num_heads: 1, dropout: 0.0}
            train: {steps: 2, batch_size: 4, log_every: 1, checkpoint_every: 2}
            sampler: {name: ancestral, steps: 2}
            sample: {count: 2, batch_size: 2}
            metrics: []
            """;

    private static final String SWEEP = """
            name: gpus
            base: tiny.yaml
            axes: {sampler.steps: [2, 3]}
            """;

    @TempDir
    Path work;

    private void assertNothingCreated() throws Exception {
        try (Stream<Path> left = Files.list(work)) {
            List<String> names = left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".txt")
                    && !n.endsWith(".yaml")).sorted().toList();
            assertEquals(List.of(), names, "no runs/, no mlruns/: the device was refused before anything was created");
        }
    }

    @Test
    void theCpuDistributionRefusesAGpuBeforeCreatingAnything() throws Exception {
        Files.writeString(work.resolve("tiny.yaml"), TINY);
        Files.writeString(work.resolve("gpus.yaml"), SWEEP);
        Launcher.Result run = Launcher.launch(work, 300, "run", "tiny.yaml", "--set", "device=gpu");
        assertEquals(2, run.code(), "the spec's device cannot be had here: " + run);
        assertTrue(run.err().contains("device: gpu needs a CUDA build of PyTorch") && run.err().contains("-Pgpu")
                && run.err().contains("PYTORCH_LIBRARY_PATH") && run.err().contains("PYTORCH_FLAVOR"), run.err());
        assertFalse(run.err().contains("\tat ") || run.err().contains("unexpected"), run.err());
        Files.writeString(work.resolve("tiny.yaml"), TINY.replace("seed: 3", "seed: 3\ndevice: gpu"));
        Launcher.Result sweep = Launcher.launch(work, 300, "sweep", "gpus.yaml");
        assertEquals(2, sweep.code(), sweep.toString());
        assertTrue(sweep.err().contains("device: gpu needs a CUDA build of PyTorch"), sweep.err());
        assertNothingCreated();
    }

    @Test
    void theGpuBuildOnAnOfflineNodeWithoutCudaLibtorchRefusesNamingWhatToDo() throws Exception {
        // the -Pgpu distribution: the same jars but PyTorch's native one, the plugins, the launcher
        Path dist = Files.createDirectories(work.resolve("gpu-dist/lib"));
        try (Stream<Path> jars = Files.list(Launcher.DIST.resolve("lib"))) {
            for (Path jar : jars.filter(j -> !j.getFileName().toString().startsWith("pytorch-native-")).toList()) {
                Files.createSymbolicLink(dist.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.createSymbolicLink(work.resolve("gpu-dist/plugins"), Launcher.DIST.resolve("plugins").toAbsolutePath());
        Files.createDirectories(work.resolve("gpu-dist/bin"));
        Files.copy(Launcher.DIST.resolve("bin/difflab"), work.resolve("gpu-dist/bin/difflab"));
        Path cache = Files.createDirectories(work.resolve("djl-cache"));
        Path runIn = Files.createDirectories(work.resolve("project"));
        Files.writeString(runIn.resolve("tiny.yaml"), TINY);
        Map<String, String> offlineNode = Map.of("DJL_CACHE_DIR", cache.toString(), "ENGINE_CACHE_DIR", "",
                "PYTORCH_LIBRARY_PATH", "");

        Launcher.Result gpu = Launcher.start(work.resolve("gpu-dist"), offlineNode, runIn, "gpu-", "run", "tiny.yaml",
                "--set", "device=gpu").await(300);
        assertEquals(1, gpu.code(), gpu.toString());
        assertTrue(gpu.err().contains("the PyTorch engine cannot start") && gpu.err().contains("For device: gpu"),
                gpu.err());
        assertTrue(gpu.err().contains("PYTORCH_LIBRARY_PATH") && gpu.err().contains("PYTORCH_FLAVOR=cu128")
                && gpu.err().contains(cache.resolve("pytorch/2.7.1-cu128-linux-x86_64").toString()), gpu.err());
        assertFalse(gpu.err().contains("\tat ") || gpu.err().contains("unexpected"), gpu.err());

        Launcher.Result cpu = Launcher.start(work.resolve("gpu-dist"), offlineNode, runIn, "cpu-", "run", "tiny.yaml",
                "--set", "device=cpu").await(300);
        assertEquals(1, cpu.code(), cpu.toString());
        assertTrue(cpu.err().contains("the PyTorch engine cannot start") && cpu.err().contains("bundles PyTorch's CPU"),
                cpu.err());
        try (Stream<Path> left = Files.list(runIn)) {
            assertEquals(List.of("cpu-err.txt", "cpu-out.txt", "gpu-err.txt", "gpu-out.txt", "tiny.yaml"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no runs/, no mlruns/");
        }
    }
}
