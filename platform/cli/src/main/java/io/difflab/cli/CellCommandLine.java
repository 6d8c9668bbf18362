package io.difflab.cli;

import io.difflab.host.run.RunOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a sweep hands one attempt of a cell to another process: the arguments of {@code difflab cell}
 * and, when that process fails, the reason it left in the run folder. Used for child processes
 * ({@code --parallel}) and for cluster tasks ({@code --master}) alike.
 */
public final class CellCommandLine {

    /** The cell's output (both streams), appended to by every attempt, in its run folder. */
    public static final String LOG_FILE = "cell.log";

    private CellCommandLine() {
    }

    /** {@code cell <run-dir> [--plugins-dir <d>]... [--resume] [--parent-run <id>] [--tag k=v]... ...}. */
    public static List<String> arguments(RunOptions options, List<Path> pluginDirs) {
        List<String> args = new ArrayList<>();
        args.add("cell");
        args.add(options.runDir().toString());
        pluginDirs.forEach(d -> args.addAll(List.of("--plugins-dir", d.toString())));
        if (options.resume()) {
            args.add("--resume");
        }
        if (options.parentRunId() != null) {
            args.addAll(List.of("--parent-run", options.parentRunId()));
        }
        options.tags().forEach((k, v) -> args.addAll(List.of("--tag", k + "=" + v)));
        if (options.trainedFrom() != null) {
            args.addAll(List.of("--trained-from", options.trainedFrom().toString()));
        }
        if (options.specFile() != null) {
            args.addAll(List.of("--spec-file", options.specFile().toString()));
        }
        return args;
    }

    /** Why an attempt that exited with {@code code} failed: what the cell wrote, else the code and where its log is. */
    public static String failure(Path runDir, int code) {
        Path failure = runDir.resolve(CellCommand.FAILURE_FILE);
        try {
            if (Files.isRegularFile(failure)) {
                return Files.readString(failure, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            // the exit code says enough
        }
        return "exit code " + code + " (see " + runDir.resolve(LOG_FILE) + ")";
    }
}
