package io.difflab.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code difflab sweep} run as a user runs it: the built distribution's launcher, with the Spark add-on. */
final class Driver {

    static final Path DIST = Path.of(System.getProperty("difflab.distribution", "../cli/target/difflab"));
    static final Path ADD_ON = Path.of(System.getProperty("difflab.spark.addon", "target/difflab-spark"));

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> args;

    private Driver(Process process, Path out, Path err, List<String> args) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.args = args;
    }

    /** What a command printed and returned. */
    record Result(int code, String out, String err) { }

    /** Starts {@code difflab <args>} in {@code workDir}, its output in {@code <name>.out} and {@code .err} there. */
    static Driver start(Path workDir, String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/difflab").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("DIFFLAB_SPARK_HOME", ADD_ON.toAbsolutePath().toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().remove("MLFLOW_TRACKING_URI");
        builder.environment().putAll(env);
        return new Driver(builder.start(), out, err, List.of(args));
    }

    /** Runs {@code difflab <args>} to its end. */
    static Result run(Path workDir, String name, long timeoutSeconds, Map<String, String> env, String... args)
            throws Exception {
        return start(workDir, name, env, args).await(timeoutSeconds);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String errSoFar() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    Result await(long timeoutSeconds) throws Exception {
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("difflab " + String.join(" ", args) + " timed out: " + errSoFar());
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), errSoFar());
        // kept in the test's report (target/failsafe-reports/*-output.txt)
        System.out.println("$ difflab " + String.join(" ", args) + "\n" + result.err() + result.out()
                + "(exit code " + result.code() + ")\n");
        return result;
    }
}
