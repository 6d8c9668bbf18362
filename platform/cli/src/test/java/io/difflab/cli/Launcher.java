package io.difflab.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the built distribution's {@code bin/difflab} as a user would, in a working folder. */
final class Launcher {

    static final Path DIST = Path.of(System.getProperty("difflab.distribution", "target/difflab"));

    private Launcher() {
    }

    /** What a command printed and returned. */
    record Result(int code, String out, String err) { }

    /** A command started and not yet awaited; its output goes to {@code <name>out.txt} and {@code <name>err.txt}. */
    record Started(Process process, Path out, Path err, List<String> args) {

        Result await(long timeoutSeconds) throws Exception {
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            assertTrue(done, "difflab " + String.join(" ", args) + " timed out: " + Files.readString(err));
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    static Result launch(Path workDir, long timeoutSeconds, String... args) throws Exception {
        return start(workDir, "", args).await(timeoutSeconds);
    }

    /** As above, with more environment variables (e.g. {@code JAVA_OPTS}). */
    static Result launch(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        return start(DIST, env, workDir, "", args).await(timeoutSeconds);
    }

    /** Starts {@code bin/difflab} without waiting, to be killed (output in out.txt and err.txt of {@code workDir}). */
    static Process start(Path workDir, Map<String, String> env, String... args) throws Exception {
        return start(DIST, env, workDir, "", args).process();
    }

    /** Starts a command without waiting for it, so that several can run at once ({@code name} tells their outputs apart). */
    static Started start(Path workDir, String name, String... args) throws Exception {
        return start(DIST, Map.of(), workDir, name, args);
    }

    /** Starts {@code dist}'s {@code bin/difflab} with {@code env} added to this process's environment. */
    static Started start(Path dist, Map<String, String> env, Path workDir, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/difflab").toString()));
        command.addAll(List.of(args));
        Path out = workDir.resolve(name + "out.txt");
        Path err = workDir.resolve(name + "err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        return new Started(builder.start(), out, err, List.of(args));
    }
}
