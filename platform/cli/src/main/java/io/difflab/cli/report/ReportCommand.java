package io.difflab.cli.report;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.cli.tracking.TrackingSource;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code difflab report}: the results of a sweep or of runs as a folder: a Markdown page and a
 * self-contained HTML page with the results table (mean ± std over seeds), the sample grids side
 * by side, the plots and the cost table; logged as artifacts of a sweep's parent run too.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write reports/<name>/ (README.md, index.html, grids, plots, cost table) from a sweep or runs.")
public final class ReportCommand implements Callable<Integer> {

    /** Where a sweep's report goes among its parent run's artifacts. */
    static final String ARTIFACT_PATH = "report";

    @Parameters(arity = "0..*", paramLabel = "TARGET",
            description = "a sweep (its parent run's id or name: all its cells), or run ids (unique prefixes) or run names")
    List<String> targets = new ArrayList<>();

    @Option(names = "--experiment", paramLabel = "NAME", description = "report on every run of this experiment")
    String experiment;

    @Option(names = "--name", paramLabel = "NAME",
            description = "the report's name (default: the sweep's, the experiment's, or the run's)")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "the report folder (default: reports/<name>)")
    Path out;

    @Option(names = "--cost", description = "only the cost section (the survey's Table 3): no results, grids or plots")
    boolean costOnly;

    @Mixin
    TrackingSource source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        try (RunCatalog catalog = source.open(System.getenv())) {
            Selection selection = new RunSelection(catalog).resolve(targets, experiment);
            if (selection.runs().isEmpty()) {
                throw new UserError("no runs in " + selection.description());
            }
            if (selection.runs().stream().noneMatch(r -> r.status() == RunStatus.FINISHED)) {
                throw new UserError("no finished run among " + selection.description() + ": " + selection.runs().stream()
                        .map(r -> r.runName() + " " + r.status().name().toLowerCase()).collect(Collectors.joining(", ")));
            }
            if (name != null) {
                selection = new Selection(name, selection.description(), selection.parent(), selection.runs());
            }
            Path folder = out != null ? out : Path.of("reports", FileNames.slug(selection.name()));
            Path staged = ReportFolder.temporary(folder);
            String artifactFailure = null;
            try {
                new ReportBuilder(catalog, selection, commandLine(), costOnly).build(staged);
                RunSummary parent = selection.parent();
                if (parent != null) {
                    artifactFailure = logToParent(catalog, parent, staged);
                }
                ReportFolder.publish(staged, folder);
            } finally {
                ReportFolder.delete(staged);
            }
            stdout.println("report on " + selection.runs().size() + " runs written to " + folder.resolve("README.md")
                    + " and " + folder.resolve("index.html"));
            io.difflab.cli.tracking.DamagedEntries.note(catalog, spec.commandLine().getErr());
            if (selection.parent() != null && artifactFailure == null) {
                stdout.println("logged as artifacts " + ARTIFACT_PATH + "/ of sweep run " + selection.parent().runId());
            }
            stdout.flush();
            if (artifactFailure != null) {
                throw new UserError("report written to " + folder + ", but not logged to the sweep's parent run: "
                        + artifactFailure);
            }
            return 0;
        }
    }

    /** Logs the staged report to the parent run; the failure's message, or null. */
    private static String logToParent(RunCatalog catalog, RunSummary parent, Path staged) {
        try {
            catalog.logArtifacts(parent.runId(), staged, ARTIFACT_PATH);
            return null;
        } catch (UserError | IOException e) {
            return e.getMessage();
        }
    }

    /** The command as typed, for the page: {@code ./difflab report ...} with shell quoting where needed. */
    private String commandLine() {
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        return "./difflab " + args.stream().map(ReportCommand::quote).collect(Collectors.joining(" "));
    }

    static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./=:,@+%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
