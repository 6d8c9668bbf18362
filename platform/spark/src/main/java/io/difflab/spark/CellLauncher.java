package io.difflab.spark;

import io.difflab.cli.CellCommandLine;
import io.difflab.host.run.RunOptions;
import io.difflab.host.spec.ExperimentSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one attempt of a cell into a {@link CellTask}: the driver's distribution's
 * {@code bin/difflab cell ...} (the distribution, its plugin folders and the runs folder sit at the
 * same paths on every machine), run in the driver's working folder where the executor's machine has
 * it, with the tracking store the sweep shares.
 */
final class CellLauncher {

    private final Path launcher;
    private final List<Path> pluginDirs;
    private final Map<String, String> env;
    private final Path workDir;
    private final boolean ownGpus;

    /**
     * @param home       the distribution folder on every machine
     * @param pluginDirs plugin folders the cells load besides the distribution's
     * @param env        variables every cell gets (the tracking store)
     * @param ownGpus    whether the executors schedule GPUs (a cluster master)
     */
    CellLauncher(Path home, List<Path> pluginDirs, Map<String, String> env, boolean ownGpus) {
        this.launcher = home.resolve("bin").resolve("difflab");
        this.pluginDirs = List.copyOf(pluginDirs);
        this.env = Map.copyOf(env);
        this.workDir = Path.of("").toAbsolutePath();
        this.ownGpus = ownGpus;
    }

    CellTask task(ExperimentSpec spec, RunOptions options) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(CellCommandLine.arguments(options, pluginDirs));
        Path runDir = options.runDir().toAbsolutePath();
        return new CellTask(options.tags().getOrDefault("difflab.sweep.cell", runDir.getFileName().toString()),
                command, env, workDir.toString(), runDir.toString(),
                runDir.resolve(CellCommandLine.LOG_FILE).toString(), wantsGpu(spec.device()), ownGpus);
    }

    /** Whether a cell's {@code device} asks for a GPU: {@code gpu} or {@code gpu:N} ({@code auto} does not). */
    static boolean wantsGpu(String device) {
        String d = device.strip().toLowerCase(Locale.ROOT);
        return d.equals("gpu") || d.startsWith("gpu:");
    }
}
