package io.difflab.cli.tracking;

import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code difflab compare}: the params that differ and the final metrics of runs, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs: the params that differ and the final metrics, side by side.")
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "RUN", description = "run ids (a unique prefix in a local store)")
    List<String> runIds;

    @Option(names = "--all-params", description = "show every param, not only those that differ")
    boolean allParams;

    @Mixin
    TrackingSource source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (RunCatalog catalog = source.open(System.getenv())) {
            List<RunSummary> runs = new ArrayList<>();
            for (String id : runIds) {
                runs.add(catalog.run(id));
            }
            List<String> header = new ArrayList<>(List.of("RUN"));
            runs.forEach(r -> header.add(r.runName() + " (" + r.runId().substring(0, Math.min(8, r.runId().length())) + ")"));

            TextTable summary = new TextTable(header);
            summary.add(row("status", runs.stream().map(r -> r.status().name()).toList()));
            summary.print(out);

            TextTable params = new TextTable(replaceFirst(header, "PARAM"));
            TreeSet<String> keys = new TreeSet<>();
            runs.forEach(r -> keys.addAll(r.params().keySet()));
            for (String key : keys) {
                List<String> values = runs.stream().map(r -> r.params().getOrDefault(key, "-")).toList();
                if (allParams || values.stream().distinct().count() > 1) {
                    params.add(row(key, values));
                }
            }
            out.println();
            if (params.isEmpty()) {
                out.println("no param differs");
            } else {
                params.print(out);
            }

            TextTable metrics = new TextTable(replaceFirst(header, "FINAL METRIC"));
            TreeSet<String> metricKeys = new TreeSet<>();
            runs.forEach(r -> metricKeys.addAll(r.finalMetrics().keySet()));
            for (String key : metricKeys) {
                metrics.add(row(key, runs.stream().map(r -> TextTable.number(r.finalMetrics().get(key))).toList()));
            }
            out.println();
            if (metrics.isEmpty()) {
                out.println("no metrics");
            } else {
                metrics.print(out);
            }
            out.flush();
        }
        return 0;
    }

    private static List<String> row(String first, List<String> rest) {
        List<String> row = new ArrayList<>();
        row.add(first);
        rest.stream().map(Objects::toString).forEach(row::add);
        return row;
    }

    private static List<String> replaceFirst(List<String> header, String first) {
        List<String> h = new ArrayList<>(header);
        h.set(0, first);
        return h;
    }
}
