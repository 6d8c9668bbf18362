package io.difflab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a spec through the distribution's {@code bin/difflab} and kills it with SIGKILL, again and
 * again, resuming each time: at a named fault point (the process announces it reached the point
 * and waits there, see {@code io.difflab.kit.train.FaultPoint}) or after a random delay. Between
 * kills, every checkpoint folder a reader can see must be complete.
 */
final class KilledRuns {

    /** Where to kill one launch: at a fault point ({@code checkpoint.write:checkpoints@8}) or after {@code millis}. */
    record Kill(String fault, long millis) {
        static Kill at(String fault) {
            return new Kill(fault, 0);
        }

        /** A delay drawn from {@code seed}: between one and six seconds after the start. */
        static Kill random(long seed) {
            return new Kill(null, 1000 + new Random(seed).nextInt(5000));
        }

        @Override
        public String toString() {
            return fault != null ? fault : "kill after " + millis + " ms";
        }
    }

    private KilledRuns() {
    }

    /** Launches {@code spec} in {@code work} once per kill, each launch resuming the last, then once to the end. */
    static Launcher.Result chain(Path work, String spec, List<Kill> kills) throws Exception {
        for (Kill kill : kills) {
            Path marker = work.resolve("fault-reached");
            Files.deleteIfExists(marker);
            Map<String, String> env = kill.fault() == null ? Map.of() : Map.of("JAVA_OPTS",
                    "-Ddifflab.fault=" + kill.fault() + " -Ddifflab.fault.marker=" + marker);
            Process p = Launcher.start(work, env, args(work, spec));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(kill.millis());
            while (p.isAlive() && System.nanoTime() < deadline) {
                boolean due = kill.fault() != null ? Files.exists(marker) : System.nanoTime() >= killAt;
                if (due) {
                    break;
                }
                Thread.sleep(10);
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "killed");
            assertTrue(kill.fault() == null || Files.exists(marker) || p.exitValue() == 0,
                    kill + " was never reached and the run did not finish: " + Files.readString(work.resolve("err.txt")));
            assertCheckpointsComplete(work);
        }
        return Launcher.launch(work, 300, args(work, spec));
    }

    /** {@code run <spec>}, with {@code --resume} once a run folder holds the spec. */
    private static String[] args(Path work, String spec) throws IOException {
        return runFolder(work).isPresent() ? new String[] {"run", spec, "--resume"} : new String[] {"run", spec};
    }

    /** The run folder of the chain (the one holding its spec), if it was created. */
    static Optional<Path> runFolder(Path work) throws IOException {
        Path runs = work.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            List<Path> withSpec = dirs.filter(d -> Files.isRegularFile(d.resolve("spec.yaml"))).toList();
            assertTrue(withSpec.size() <= 1, "one run folder for the whole chain: " + withSpec);
            return withSpec.stream().findFirst();
        }
    }

    /** Every checkpoint folder a reader can see (step-N) holds all four files. */
    static void assertCheckpointsComplete(Path work) throws IOException {
        Optional<Path> run = runFolder(work);
        if (run.isEmpty() || !Files.isDirectory(run.get().resolve("checkpoints"))) {
            return;
        }
        try (Stream<Path> walk = Files.walk(run.get().resolve("checkpoints"))) {
            for (Path step : walk.filter(d -> d.getFileName().toString().matches("step-\\d+")).toList()) {
                for (String f : List.of("model.ndlist", "ema.ndlist", "optimizer.ndlist", "state.properties")) {
                    assertTrue(Files.isRegularFile(step.resolve(f)), step + " is visible without its " + f);
                }
            }
        }
    }
}
