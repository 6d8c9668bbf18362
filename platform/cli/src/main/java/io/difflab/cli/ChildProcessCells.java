package io.difflab.cli;

import io.difflab.host.run.RunOptions;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.sweep.CellExecutor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sweep cells each in a child process ({@code difflab cell}, same Java, JVM options, class path and
 * plugin folders as this one): DJL's PyTorch engine records gradients for one training at a time per
 * process, so cells that train side by side need processes of their own. A cell's output goes to
 * {@code cell.log} in its run folder; the children are stopped with this process.
 */
final class ChildProcessCells implements CellExecutor {

    private final List<String> java;
    private final List<Path> pluginDirs;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    /** @param pluginDirs the plugin folders the children load, besides the distribution's own */
    ChildProcessCells(List<Path> pluginDirs) {
        this.pluginDirs = List.copyOf(pluginDirs);
        java = new ArrayList<>();
        java.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        java.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), Difflab.class.getName()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> live.forEach(Process::destroy), "difflab-cell-stop"));
    }

    @Override
    public String run(ExperimentSpec spec, RunOptions options) {
        List<String> command = new ArrayList<>(java);
        command.addAll(CellCommandLine.arguments(options, pluginDirs));
        Path log = options.runDir().resolve(CellCommandLine.LOG_FILE);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove(Difflab.PLUGINS_ENV); // passed as --plugins-dir above
        try {
            Process p = builder.start();
            live.add(p);
            int code;
            try {
                code = p.waitFor();
            } finally {
                live.remove(p);
            }
            return code == 0 ? null : CellCommandLine.failure(options.runDir(), code);
        } catch (IOException e) {
            return "cannot start the cell's process: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
