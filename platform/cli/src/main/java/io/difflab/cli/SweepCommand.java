package io.difflab.cli;

import io.difflab.api.UserError;
import io.difflab.cli.tracking.TextTable;
import io.difflab.host.inject.Host;
import io.difflab.host.spec.SpecException;
import io.difflab.host.run.Devices;
import io.difflab.host.run.RunPipeline;
import io.difflab.host.sweep.CellExecutor;
import io.difflab.host.sweep.CellResult;
import io.difflab.host.sweep.CellStatus;
import io.difflab.host.sweep.SweepCell;
import io.difflab.host.sweep.SweepPlan;
import io.difflab.host.sweep.SweepResolver;
import io.difflab.host.sweep.SweepRunner;
import io.difflab.host.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code difflab sweep}: validates every cell of a sweep file, then runs them as child runs of one
 * parent run: here, in child processes ({@code --parallel}) or as tasks of a Spark application
 * ({@code --master}, through the add-on's {@link ClusterSweep}).
 */
@Command(name = "sweep",
        description = {"Run every cell of a sweep file (a base spec plus axes, variants, seeds and rules).",
            "Validates every cell first. Cells that differ only in sampling settings share one training. Each "
                    + "cell is a child run of the sweep's parent run; starting the sweep again continues it: finished "
                    + "cells are skipped, the others resume. A failing cell is retried once. With --master, the cells "
                    + "run as tasks of an Apache Spark application (README \"Sweeps on a cluster\")."})
final class SweepCommand implements Callable<Integer> {

    /** Results shown in the summary, at most. */
    private static final int SUMMARY_METRICS = 5;

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Parameters(index = "0", paramLabel = "<sweep>", description = "the sweep file (YAML), e.g. experiments/sweeps/gd-scales.yaml")
    private Path file;

    @Option(names = "--dry-run", description = "list the cells (swept values, training shared, skipped or not) and stop")
    private boolean dryRun;

    @Option(names = "--parallel", paramLabel = "<n>",
            description = "cells run at once (default: 1, in this process); above 1, each cell runs "
                    + "in a process of its own, its output in cell.log in its run folder. With --master: cells "
                    + "in flight at once (default: the cluster's task slots)")
    private Integer parallel;

    @Option(names = "--runs-dir", paramLabel = "<folder>", defaultValue = "runs", converter = RunsDirConverter.class,
            description = "where run folders go: <runs-dir>/<sweep name>/<cell>-<time>/ (default: ${DEFAULT-VALUE}); "
                    + "finished trainings anywhere under it are reused. A folder or a file:// URI; with --master on "
                    + "several machines, one they all mount at this path")
    private Path runsDir;

    @Option(names = "--master", paramLabel = "<url>",
            description = "run the cells as tasks of an Apache Spark application: local[N], spark://host:port, yarn "
                    + "or k8s://https://host:port (needs the Spark add-on; README \"Sweeps on a cluster\")")
    private String master;

    @Option(names = "--conf", paramLabel = "<key=value>",
            description = "a Spark property for --master (repeatable), e.g. spark.executor.memory=512m")
    private Map<String, String> sparkConf = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (parallel != null && parallel < 1) {
            throw new UserError("--parallel must be at least 1, got " + parallel, SpecException.EXIT_CODE, null);
        }
        if (!sparkConf.isEmpty() && master == null) {
            throw new UserError("--conf sets Spark properties for --master: give --master too", SpecException.EXIT_CODE,
                    null);
        }
        Optional<ClusterSweep> cluster = master == null || dryRun ? Optional.empty()
                : ServiceLoader.load(ClusterSweep.class).findFirst();
        if (master != null && !dryRun && cluster.isEmpty()) {
            return SparkAddOn.relaunch(SparkAddOn.locate(System.getenv(), homeDir()),
                    command.root().commandLine().getParseResult().originalArgs(),
                    master.strip().matches("local(\\[.*])?"));
        }
        Host host = difflab.host();
        SweepSpec sweep = host.injector().getInstance(SweepResolver.class).resolve(file);
        if (master == null) {
            // here the cells run on this machine: check them as run would; a cluster checks its executors itself
            check(sweep, host.injector().getInstance(RunPipeline.class));
        }
        PrintWriter out = command.commandLine().getOut();
        if (dryRun) {
            printPlan(sweep, out);
            return 0;
        }
        PrintWriter err = command.commandLine().getErr();
        List<CellResult> results;
        if (cluster.isPresent()) {
            // the cluster checks its executors' devices itself (this machine may have no GPU)
            results = cluster.get().run(new ClusterSweepRequest(sweep, master, sparkConf,
                    runsDir.toAbsolutePath().normalize(), parallel, homeDir(), childPluginDirs(), err));
        } else {
            // a device this machine lacks is refused before the sweep's folder or parent run exists
            sweep.runnable().stream().map(c -> c.spec().device()).distinct().forEach(Devices::resolve);
            int atOnce = parallel == null ? 1 : parallel;
            CellExecutor cells = atOnce == 1 ? CellExecutor.inProcess(host.injector().getInstance(RunPipeline.class))
                    : new ChildProcessCells(childPluginDirs());
            results = host.injector().getInstance(SweepRunner.class).run(sweep, runsDir, atOnce, cells, err);
        }
        printSummary(results, out);
        List<String> failed = results.stream().filter(r -> r.status() == CellStatus.FAILED)
                .map(r -> r.cell().id()).toList();
        if (!failed.isEmpty()) {
            throw new UserError("sweep '" + sweep.name() + "': " + failed.size() + " of "
                    + sweep.runnable().size() + " cells failed: " + String.join(", ", failed)
                    + "\nstart the sweep again to retry them (finished cells are skipped)");
        }
        return 0;
    }

    /** The distribution folder, whose {@code bin/difflab} a cluster's tasks run. */
    private static Path homeDir() {
        String home = System.getProperty(Difflab.HOME_PROPERTY);
        if (home == null) {
            throw new UserError("--master runs each cell with the distribution's bin/difflab: start difflab "
                    + "from a distribution (./difflab or <distribution>/bin/difflab)");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /**
     * Checks every cell as {@code difflab run} checks a spec (its networks, dataset, device, tracking
     * store) before anything runs; every failing cell is named, exit code 2.
     */
    private static void check(SweepSpec sweep, RunPipeline pipeline) {
        Map<String, List<String>> failures = new LinkedHashMap<>();
        Map<String, String> checked = new HashMap<>();
        for (SweepCell cell : sweep.runnable()) {
            String key = cell.spec().flatten().entrySet().stream().filter(e -> !e.getKey().equals("name"))
                    .map(Object::toString).collect(Collectors.joining("\n"));
            String failure = checked.computeIfAbsent(key, k -> {
                try {
                    pipeline.check(cell.spec());
                    return "";
                } catch (UserError e) {
                    return e.getMessage();
                }
            });
            if (!failure.isEmpty()) {
                failures.computeIfAbsent(failure, f -> new ArrayList<>()).add(cell.id());
            }
        }
        if (!failures.isEmpty()) {
            List<String> lines = new ArrayList<>();
            failures.forEach((failure, cells) -> lines.add(failure + " [" + (cells.size() == sweep.runnable().size()
                    && cells.size() > 1 ? "every cell" : (cells.size() == 1 ? "cell " : "cells ") + String.join(", ", cells))
                    + "]"));
            throw new UserError(sweep.file() + ": " + failures.size() + (failures.size() == 1 ? " problem" : " problems")
                    + " the cells' specs pass validation with but cannot run with:\n  " + String.join("\n  ", lines),
                    SpecException.EXIT_CODE, null);
        }
    }

    /** The plugin folders of this command besides the distribution's own (the children find that one themselves). */
    private List<Path> childPluginDirs() {
        String home = System.getProperty(Difflab.HOME_PROPERTY);
        Path own = home == null ? null : Path.of(home).resolve("plugins").toAbsolutePath().normalize();
        return difflab.pluginRoots().stream().filter(d -> !d.toAbsolutePath().normalize().equals(own)).toList();
    }

    private void printPlan(SweepSpec sweep, PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("#", "cell"));
        header.addAll(sweep.sweptKeys());
        header.addAll(List.of("training", "status"));
        TextTable table = new TextTable(header);
        List<SweepPlan> plan = SweepPlan.of(sweep, runsDir);
        long finished = plan.stream().filter(p -> p.status().equals("finished")).count();
        for (SweepPlan p : plan) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(p.cell().index()), p.cell().id()));
            sweep.sweptKeys().forEach(k -> row.add(p.cell().swept().getOrDefault(k, "")));
            row.add(p.training());
            row.add(p.status());
            table.add(row);
        }
        out.println("sweep " + sweep.name() + " (" + sweep.file() + "): " + sweep.cells().size() + " cells, "
                + (sweep.runnable().size() - finished) + " to run" + (finished > 0 ? " (" + finished + " finished)" : "")
                + ", " + sweep.trainings() + (sweep.trainings() == 1 ? " training" : " trainings")
                + "; MLflow experiment " + sweep.experiment());
        table.print(out);
    }

    private static void printSummary(List<CellResult> results, PrintWriter out) {
        Set<String> metrics = new LinkedHashSet<>();
        results.forEach(r -> r.results().keySet().stream().filter(k -> k.startsWith("eval.")).forEach(metrics::add));
        List<String> shown = metrics.stream().limit(SUMMARY_METRICS).toList();
        List<String> header = new ArrayList<>(List.of("#", "cell", "status"));
        header.addAll(shown);
        header.add("run id");
        TextTable table = new TextTable(header);
        for (CellResult r : results) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(r.cell().index()), r.cell().id(),
                    r.status().name() + (r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : "")));
            shown.forEach(m -> row.add(r.status() == CellStatus.FINISHED ? TextTable.number(r.results().get(m)) : ""));
            row.add(r.runId() == null ? "" : r.runId());
            table.add(row);
        }
        table.print(out);
        results.stream().filter(r -> r.failure() != null)
                .forEach(r -> out.println("cell " + r.cell().id() + " failed: " + r.failure()));
        out.flush();
    }
}
