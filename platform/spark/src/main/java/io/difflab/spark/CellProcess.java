package io.difflab.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CellTask} on an executor: {@code difflab cell} as a process of its own (DJL allows
 * one gradient recording per process, and no engine state is shared with the executor's JVM),
 * its output appended to the cell's log; returns its exit code. A retry of the task (Spark runs it
 * again when its executor was lost) continues the cell from its last checkpoint ({@code --resume});
 * a killed task stops its cell, and so does the executor's JVM when it ends.
 */
public final class CellProcess implements Function<CellTask, Integer> {

    private static final long serialVersionUID = 1L;
    /** How long a stopped cell may take to mark its run KILLED before it is killed outright. */
    private static final long STOP_SECONDS = 20;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(CellProcess::stop), "difflab-cells-stop"));
    }

    @Override
    public Integer call(CellTask task) throws Exception {
        TaskContext context = TaskContext.get();
        List<String> command = new ArrayList<>(task.command());
        // a distribution shipped with the application (an archive YARN unpacks) is relative to the executor's folder
        if (command.get(0).contains(File.separator)) {
            command.set(0, new File(command.get(0)).getAbsolutePath());
        }
        if (context != null && context.attemptNumber() > 0 && !command.contains("--resume")) {
            command.add("--resume"); // Spark's retry: continue the run this cell's earlier attempt began
        }
        Path log = Path.of(task.log());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        File workDir = new File(task.workDir());
        builder.directory(workDir.isDirectory() ? workDir : new File(task.runDir()));
        environment(builder.environment(), task, context);
        note(log, "attempt " + (context == null ? 0 : context.attemptNumber()) + " of Spark task "
                + (context == null ? "-" : context.taskAttemptId()) + " on " + host() + ": "
                + String.join(" ", command));
        Process process = builder.start();
        LIVE.add(process);
        try {
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                if (context != null && context.isInterrupted()) {
                    stop(process);
                    throw new TaskKilledException("the task was killed; cell " + task.cellId() + " stopped");
                }
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new TaskKilledException("the task was interrupted; cell " + task.cellId() + " stopped");
        } finally {
            LIVE.remove(process);
        }
    }

    /** The executor's environment, with the task's variables, its CPUs as OpenMP threads and its GPUs. */
    static void environment(Map<String, String> env, CellTask task, TaskContext context) {
        env.putAll(task.env());
        env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        if (context != null) {
            // a task owns spark.task.cpus cores: PyTorch's intra-op threads follow OMP_NUM_THREADS
            env.putIfAbsent("OMP_NUM_THREADS", Integer.toString(Math.max(1, context.cpus())));
            ResourceInformation gpus = context.resourcesJMap().get("gpu");
            if (gpus != null) {
                env.put("CUDA_VISIBLE_DEVICES", String.join(",", gpus.addresses()));
            } else if (task.ownGpus()) {
                env.put("CUDA_VISIBLE_DEVICES", ""); // a GPU this task was not given belongs to another task
            }
        }
    }

    /** Asks the cell to stop (its run is marked KILLED), then kills it if it does not. */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void note(Path log, String line) {
        try {
            Files.writeString(log, "[spark] " + line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cell's log " + log, e);
        }
    }

    private static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip() + " (pid "
                    + ProcessHandle.current().pid() + ")";
        } catch (IOException | RuntimeException e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
