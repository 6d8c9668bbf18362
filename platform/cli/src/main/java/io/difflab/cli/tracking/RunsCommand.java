package io.difflab.cli.tracking;

import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code difflab runs}: the runs of a store with their status and key final metrics. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List runs (newest first) with their status and key final metrics.")
public final class RunsCommand implements Callable<Integer> {

    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final int DEFAULT_METRIC_COLUMNS = 4;

    @Option(names = "--experiment", paramLabel = "NAME", description = "only this experiment's runs")
    String experiment;

    @Option(names = "--metrics", split = ",", paramLabel = "KEY",
            description = "metric columns (default: train.loss and the eval.* metrics, at most 4)")
    List<String> metrics;

    @Mixin
    TrackingSource source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (RunCatalog catalog = source.open(System.getenv())) {
            List<RunSummary> runs = catalog.runs(experiment);
            if (runs.isEmpty()) {
                out.println("no runs in " + catalog.location() + (experiment == null ? "" : " for experiment " + experiment));
                out.flush();
                DamagedEntries.note(catalog, spec.commandLine().getErr());
                return 0;
            }
            List<String> keys = metrics != null ? metrics : keyMetrics(runs);
            List<String> header = new ArrayList<>(List.of("RUN ID", "EXPERIMENT", "NAME", "STATUS", "START", "DURATION"));
            header.addAll(keys);
            TextTable table = new TextTable(header);
            for (RunSummary r : runs) {
                List<String> row = new ArrayList<>(List.of(r.runId(), r.experimentName(), r.runName(),
                        r.status().name(), START.format(Instant.ofEpochMilli(r.startTime())), duration(r)));
                keys.forEach(k -> row.add(TextTable.number(r.finalMetrics().get(k))));
                table.add(row);
            }
            table.print(out);
            DamagedEntries.note(catalog, spec.commandLine().getErr());
        }
        return 0;
    }

    /** {@code train.loss} and {@code eval.*} metrics, the most common first, at most four. */
    static List<String> keyMetrics(List<RunSummary> runs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            for (String k : r.finalMetrics().keySet()) {
                if (k.equals("train.loss") || k.startsWith("eval.")) {
                    counts.merge(k, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(DEFAULT_METRIC_COLUMNS).map(Map.Entry::getKey).toList();
    }

    private static String duration(RunSummary r) {
        if (r.endTime() == null) {
            return "-";
        }
        Duration d = Duration.ofMillis(Math.max(0, r.endTime() - r.startTime()));
        if (d.toHours() > 0) {
            return String.format("%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        return d.toMinutes() > 0 ? String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart())
                : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
