package io.difflab.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.difflab.api.UserError;
import io.difflab.cli.fixtures.FixturePlugins;
import io.difflab.host.run.RunFolders;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunPipeline;
import io.difflab.host.spec.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The difflab command in-process: exit codes, messages, run folders. */
class DifflabTest {

    @TempDir
    Path dir;

    /** What the fake pipeline was asked to run. */
    private final List<RunOptions> runs = new ArrayList<>();
    private RuntimeException pipelineFailure;

    private final Module fakePipeline = new AbstractModule() {
        @Override
        protected void configure() {
            bind(RunPipeline.class).toInstance((ExperimentSpec spec, RunOptions options) -> {
                runs.add(options);
                if (pipelineFailure != null) {
                    throw pipelineFailure;
                }
                return 0;
            });
        }
    };

    private record Result(int code, String out, String err) { }

    private Result difflab(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Difflab app = new Difflab(env, null, List.of(fakePipeline))) {
            int code = Difflab.commandLine(app).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new Result(code, out.toString(), err.toString());
        }
    }

    private Result difflab(String... args) {
        return difflab(Map.of(), args);
    }

    private Path spec(String yaml) throws Exception {
        return Files.writeString(dir.resolve("toy.yaml"), yaml);
    }

    @Test
    void validateOnAMisspelledKeyExits2AndNamesTheKey() throws Exception {
        Result r = difflab("validate", spec("model: toy\ndataset: toy-data\nseeed: 3\n").toString());
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("seeed: unknown key; did you mean 'seed'?"), r.err);
        assertTrue(!r.err.contains("\tat "), "no stack trace: " + r.err);
    }

    @Test
    void validateAcceptsAValidSpecAndPrintsTheResolvedOne() throws Exception {
        FixturePlugins.writeGood(dir);
        Path spec = spec("model: toy\ndataset: toy-data\n");
        Result r = difflab("validate", spec.toString(), "--plugins-dir", dir.toString(), "--set", "train.steps=7");
        assertEquals(0, r.code, r.toString());
        assertEquals(spec + ": valid (run 'toy': model toy, dataset toy-data, 7 training steps)\n", r.out);
        Result printed = difflab(Map.of(Difflab.PLUGINS_ENV, dir.toString()), "validate", spec.toString(), "--print");
        assertEquals(0, printed.code, printed.toString());
        assertTrue(printed.out.startsWith("name: toy\nseed: 0\n"), printed.out);
        assertTrue(printed.out.contains("schedule:\n  name: toy-schedule\n  timesteps: 10\n"), printed.out);
    }

    @Test
    void runWritesTheResolvedSpecIntoANewRunFolderThenRunsIt() throws Exception {
        FixturePlugins.writeGood(dir);
        Path spec = spec("name: first\nmodel: toy\ndataset: toy-data\n");
        Path runsDir = dir.resolve("runs");
        Result r = difflab("run", spec.toString(), "--plugins-dir", dir.toString(), "--runs-dir", runsDir.toString());
        assertEquals(0, r.code, r.toString());
        assertEquals(1, runs.size());
        Path runDir = runs.get(0).runDir();
        assertTrue(runDir.getFileName().toString().matches("first-\\d{8}-\\d{6}"), runDir.toString());
        assertEquals(runsDir, runDir.getParent());
        String saved = Files.readString(runDir.resolve(RunFolders.SPEC_FILE));
        assertTrue(saved.startsWith("name: first\n") && saved.contains("steps: 2000"), saved);
        assertEquals(false, runs.get(0).resume());
        assertTrue(r.err.contains("run folder: " + runDir), r.err);
    }

    @Test
    void anInvalidSpecCreatesNoRunFolder() throws Exception {
        Path runsDir = dir.resolve("runs");
        Result r = difflab("run", spec("model: toy\n").toString(), "--runs-dir", runsDir.toString());
        assertEquals(2, r.code, r.toString());
        assertTrue(!Files.exists(runsDir));
        assertTrue(runs.isEmpty());
    }

    @Test
    void resumeContinuesTheLatestRunAndRefusesTrainingChanges() throws Exception {
        FixturePlugins.writeGood(dir);
        Path spec = spec("name: long\nmodel: toy\ndataset: toy-data\n");
        String runsDir = dir.resolve("runs").toString();
        Result none = difflab("run", spec.toString(), "--resume", "--plugins-dir", dir.toString(), "--runs-dir", runsDir);
        assertEquals(1, none.code);
        assertTrue(none.err.contains("--resume: no earlier run of 'long'"), none.err);

        assertEquals(0, difflab("run", spec.toString(), "--plugins-dir", dir.toString(), "--runs-dir", runsDir).code);
        Result more = difflab("run", spec.toString(), "--resume", "--set", "train.steps=4000",
                "--plugins-dir", dir.toString(), "--runs-dir", runsDir);
        assertEquals(0, more.code, more.toString());
        assertEquals(runs.get(0).runDir(), runs.get(1).runDir());
        assertTrue(runs.get(1).resume());
        assertTrue(Files.readString(runs.get(1).runDir().resolve(RunFolders.SPEC_FILE)).contains("steps: 4000"));

        Result changed = difflab("run", spec.toString(), "--resume", "--set", "train.lr=0.1", "--set", "seed=9",
                "--plugins-dir", dir.toString(), "--runs-dir", runsDir);
        assertEquals(1, changed.code);
        assertTrue(changed.err.contains("seed: 0 -> 9") && changed.err.contains("train.lr: 2.0E-4 -> 0.1"), changed.err);
        try (Stream<Path> folders = Files.list(Path.of(runsDir))) {
            assertEquals(1, folders.count());
        }
    }

    @Test
    void userErrorsPrintTheirMessageAndExitCodeOnly() throws Exception {
        FixturePlugins.writeGood(dir);
        pipelineFailure = new UserError("the dataset is missing; install dataset-fashion-mnist", 3, null);
        Result r = difflab("run", spec("model: toy\ndataset: toy-data\n").toString(), "--plugins-dir", dir.toString(),
                "--runs-dir", dir.resolve("runs").toString());
        assertEquals(3, r.code);
        assertTrue(r.err.endsWith("the dataset is missing; install dataset-fashion-mnist\n"), r.err);
        assertTrue(!r.err.contains("\tat "), r.err);
    }

    @Test
    void unexpectedErrorsAreOneLineUnlessDebugging() throws Exception {
        FixturePlugins.writeGood(dir);
        pipelineFailure = new IllegalStateException("bug");
        String[] args = {"run", spec("model: toy\ndataset: toy-data\n").toString(), "--plugins-dir", dir.toString(),
            "--runs-dir", dir.resolve("runs").toString()};
        Result r = difflab(args);
        assertEquals(1, r.code);
        assertTrue(r.err.contains("difflab: unexpected IllegalStateException: bug (run with --debug for the stack trace)"),
                r.err);
        List<String> debug = new ArrayList<>(List.of(args));
        debug.add("--debug");
        assertTrue(difflab(debug.toArray(String[]::new)).err.contains("\tat "));
    }

    @Test
    void pluginFoldersMustExist() {
        Result r = difflab(Map.of(Difflab.PLUGINS_ENV, dir.resolve("missing").toString()), "plugins");
        assertEquals(1, r.code);
        assertEquals(Difflab.PLUGINS_ENV + ": " + dir.resolve("missing") + " is not a folder\n", r.err);
    }

    @Test
    void pluginsListsTheSystemExtensionsAndPluginFolders() throws Exception {
        FixturePlugins.writeGood(dir);
        Result r = difflab("plugins", "--plugins-dir", dir.toString());
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith("PLUGIN"), r.out);
        assertTrue(r.out.contains("\nsystem "), r.out);
        assertTrue(r.out.endsWith("plugin folders: " + dir.toAbsolutePath() + "\n"), r.out);
    }

    @Test
    void versionAndHelpForEveryCommand() {
        Result v = difflab("--version");
        assertEquals(0, v.code);
        assertTrue(v.out.startsWith("difflab " + io.difflab.host.plugin.PlatformVersion.current().release()), v.out);
        for (String command : List.of("plugins", "validate", "run", "help")) {
            Result h = difflab(command, "--help");
            assertEquals(0, h.code, command);
            assertTrue(h.out.contains("Usage: difflab " + command + " "), h.out);
        }
        assertEquals(2, difflab().code, "no command: usage and exit code 2");
        assertEquals(2, difflab("frobnicate").code);
    }
}
