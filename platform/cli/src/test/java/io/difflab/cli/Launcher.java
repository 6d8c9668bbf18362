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

    static Result launch(Path workDir, long timeoutSeconds, String... args) throws Exception {
        return launch(workDir, Map.of(), timeoutSeconds, args);
    }

    /** As above, with more environment variables (e.g. {@code JAVA_OPTS}). */
    static Result launch(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        Process p = start(workDir, env, args);
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "difflab " + String.join(" ", args) + " timed out: " + Files.readString(err));
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Starts {@code bin/difflab} without waiting (output in out.txt and err.txt of {@code workDir}). */
    static Process start(Path workDir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/difflab").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile()).redirectError(workDir.resolve("err.txt").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
