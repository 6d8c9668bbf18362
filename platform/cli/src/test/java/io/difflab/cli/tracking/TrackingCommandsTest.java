package io.difflab.cli.tracking;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runs}, {@code compare} and {@code sync} on a real local store. */
class TrackingCommandsTest {

    @TempDir
    Path tmp;

    private Path store;
    private LocalRun baseline;
    private LocalRun guided;

    @BeforeEach
    void recordTwoRuns() {
        store = tmp.resolve("mlruns");
        LocalTracker tracker = new LocalTracker(new FileStore(store), new Redactor(List.of()), tmp);
        baseline = tracker.startRun("ablation", "baseline", null, Map.of());
        baseline.logParams(Map.of("guidance.scale", "1", "seed", "0"));
        baseline.logMetric("train.loss", 0.5, 1);
        baseline.logMetric("train.loss", 0.03125, 100);
        baseline.logMetric("eval.fd", 41.5, 100);
        baseline.end(RunStatus.FINISHED);
        guided = tracker.startRun("ablation", "scale-3", null, Map.of());
        guided.logParams(Map.of("guidance.scale", "3", "seed", "0"));
        guided.logMetric("eval.fd", 17.25, 100);
        guided.end(RunStatus.FAILED);
    }

    /** Runs a command as the main {@code difflab} command does: a UserError prints its message alone. */
    private static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError u) {
                line.getErr().println(u.getMessage());
                return u.exitCode();
            }
            throw e;
        });
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) { }

    @Test
    void runsListsStatusAndKeyFinalMetrics() {
        Result r = run(new RunsCommand(), "--store", store.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("RUN ID +EXPERIMENT +NAME +STATUS +START +DURATION +eval.fd +train.loss"), lines[0]);
        assertTrue(lines[1].startsWith(guided.id()) && lines[1].contains("FAILED") && lines[1].contains("17.25"), lines[1]);
        assertTrue(lines[2].startsWith(baseline.id()) && lines[2].contains("FINISHED"), lines[2]);
        assertTrue(lines[2].matches(".*41\\.50 +0\\.03125$"), lines[2]);
        assertTrue(lines[1].endsWith("-"), "a metric the run lacks shows as -");
    }

    @Test
    void runsOfAnUnknownExperimentIsAUserError() {
        Result r = run(new RunsCommand(), "--store", store.toString(), "--experiment", "nope");
        assertEquals(1, r.code());
        assertEquals("no experiment named nope in " + store.toAbsolutePath(), r.err().strip());
    }

    @Test
    void compareShowsTheParamsThatDifferAndTheFinalMetrics() {
        Result r = run(new CompareCommand(), "--store", store.toString(), baseline.id(), guided.id().substring(0, 10));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)RUN +baseline \\(.{8}\\) +scale-3 \\(.{8}\\)\nstatus +FINISHED +FAILED\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\nguidance\\.scale +1 +3\n.*"), r.out());
        assertFalse(r.out().contains("seed"), "params that are equal are left out");
        assertTrue(r.out().matches("(?s).*\neval\\.fd +41\\.50 +17\\.25\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\ntrain\\.loss +0\\.03125 +-\n.*"), r.out());
    }

    @Test
    void compareOfAnUnknownRunIsAUserError() {
        Result r = run(new CompareCommand(), "--store", store.toString(), baseline.id(), "ffff");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("no run ffff in "), r.err());
    }

    @Test
    void syncToAServerThatIsDownSaysSoAndKeepsEverything() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SyncCommand sync = new SyncCommand();
        sync.env = Map.of("MLFLOW_TRACKING_PASSWORD", "do-not-print-me");
        Result r = run(sync, "--to", "http://alice:do-not-print-me@127.0.0.1:" + port, "--store", store.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("cannot sync to http://127.0.0.1:" + port), r.err());
        assertTrue(r.err().contains("run `difflab sync` again"), r.err());
        assertFalse(r.err().contains("do-not-print-me"));
        Result again = run(new RunsCommand(), "--store", store.toString());
        assertTrue(again.out().contains(baseline.id()));
    }

    @Test
    void syncWithoutToUsesTheTrackingUriOfTheEnvironment() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SyncCommand sync = new SyncCommand();
        sync.env = Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port);
        Result r = run(sync, "--store", store.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cannot sync to http://127.0.0.1:" + port + ": "), "the server of the environment: "
                + r.err());
        assertTrue(r.err().contains("connection refused") && !r.err().contains("Exception"), r.err());
        SyncCommand none = new SyncCommand();
        none.env = Map.of();
        Result missing = run(none, "--store", store.toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().startsWith("sync needs a tracking server: give --to"), missing.err());
    }

    @Test
    void damagedRunsArePassedOverAndNamedByPath() throws IOException {
        java.nio.file.Files.writeString(guided.files().meta(), "artifact_uri: file:///x\n");
        Result r = run(new RunsCommand(), "--store", store.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains(baseline.id()) && !r.out().contains("1970"), r.out());
        assertEquals("skipped (damaged): " + guided.files().dir() + ": damaged meta.yaml (no run_id)\n", r.err());
        Result compare = run(new CompareCommand(), guided.id(), baseline.id(), "--store", store.toString());
        assertEquals(1, compare.code(), compare.toString());
        assertTrue(compare.err().startsWith("run " + guided.id() + " cannot be read: damaged meta.yaml (no run_id)"),
                compare.err());
    }

    @Test
    void helpListsEachOptionOnce() {
        for (String command : List.of("runs", "compare", "report", "sync")) {
            StringWriter out = new StringWriter();
            try (io.difflab.cli.Difflab app = new io.difflab.cli.Difflab(Map.of(), null)) {
                io.difflab.cli.Difflab.commandLine(app).setOut(new PrintWriter(out)).execute("help", command);
            }
            String help = out.toString();
            assertTrue(help.contains("--store"), help);
            for (String option : List.of("--store", "--uri")) {
                long lines = help.lines().filter(l -> l.strip().startsWith(option + "=")).count();
                assertTrue(lines <= 1, option + " listed " + lines + " times:\n" + help);
            }
        }
    }
}
