package io.difflab.cli;

import io.difflab.host.inject.Host;
import io.difflab.host.run.RunFolders;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunPipeline;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecResolver;
import io.difflab.host.sweep.CellExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code difflab cell} (hidden): one attempt of a sweep cell in its own process, in the run folder
 * {@code difflab sweep --parallel} (or a cluster task of {@code --master}) prepared, holding the
 * resolved {@code spec.yaml}. Why it failed goes to {@value #FAILURE_FILE} in the run folder for the
 * sweep to report. One attempt at a time holds the folder ({@link CellLock}); a continuing attempt of
 * a cell an earlier one finished does nothing ({@link EarlierAttempt}); the process ends with the
 * one that started it, so a lost executor leaves no cell running behind.
 */
@Command(name = "cell", hidden = true,
        description = "Run one cell of a sweep in its prepared run folder (difflab sweep --parallel starts these).")
final class CellCommand implements Callable<Integer> {

    /** The file in the run folder holding the failure of the last attempt. */
    static final String FAILURE_FILE = "cell-failure.txt";

    @ParentCommand
    private Difflab difflab;

    @Parameters(index = "0", paramLabel = "<run-dir>", description = "the cell's run folder, holding spec.yaml")
    private Path runDir;

    @Option(names = "--resume", description = "continue from the run folder's last checkpoint and tracked run")
    private boolean resume;

    @Option(names = "--parent-run", paramLabel = "<run-id>", description = "the sweep's parent run")
    private String parentRunId;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "a tag of the cell's run (repeatable)")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--trained-from", paramLabel = "<run-dir>", description = "a run folder with the finished training")
    private Path trainedFrom;

    @Option(names = "--spec-file", paramLabel = "<file>", description = "the sweep file, for provenance")
    private Path specFile;

    @Override
    public Integer call() throws IOException {
        endWithParent();
        try (CellLock lock = CellLock.acquire(runDir, System.out)) {
            Path failure = runDir.resolve(FAILURE_FILE);
            Files.deleteIfExists(failure);
            try {
                Host host = difflab.host();
                ExperimentSpec spec = host.injector().getInstance(SpecResolver.class)
                        .resolve(runDir.resolve(RunFolders.SPEC_FILE), List.of());
                if (resume && EarlierAttempt.finished(runDir, spec, System.out)) {
                    System.out.println("difflab cell: an earlier attempt finished this cell; nothing to do");
                    return 0;
                }
                return host.injector().getInstance(RunPipeline.class).run(spec,
                        new RunOptions(runDir, resume, specFile, parentRunId, tags, trainedFrom));
            } catch (RuntimeException | Error e) {
                Files.writeString(failure, CellExecutor.describe(e), StandardCharsets.UTF_8);
                throw e;
            }
        }
    }

    /** Stops this process (its shutdown hooks mark the run KILLED) when the process that started it ends. */
    private static void endWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("difflab cell: the process that started this cell (" + parent.pid()
                    + ") ended: stopping");
            System.exit(143);
        }));
    }
}
