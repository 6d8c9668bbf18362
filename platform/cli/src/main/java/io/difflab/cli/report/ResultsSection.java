package io.difflab.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The results table: one row per configuration (runs that differ only in their seed), a column per
 * swept param and per logged metric, each cell mean ± std over the seeds.
 */
final class ResultsSection {

    private ResultsSection() {
    }

    /** Adds the table to {@code page}; returns its values in full precision for results.csv (long format). */
    static List<List<String>> write(Page page, List<Configuration> configurations, List<String> swept,
                                    List<MetricColumns.Column> columns) {
        page.heading(2, "Results");
        page.text("One row per configuration; runs that differ only in their seed are one configuration, shown as "
                + "mean ± sample standard deviation over the seeds (n−1 in the denominator). `results.csv` holds "
                + "the same values in full precision.");
        List<String> header = new ArrayList<>();
        if (swept.isEmpty()) {
            header.add("configuration");
        }
        swept.forEach(k -> header.add(Configuration.shortKey(k)));
        columns.forEach(c -> header.add(c.heading()));
        header.add("runs (seeds)");
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> csv = new ArrayList<>();
        List<String> csvHeader = new ArrayList<>(swept);
        csvHeader.addAll(List.of("metric", "mean", "std", "n", "seeds"));
        csv.add(csvHeader);
        for (Configuration c : configurations) {
            List<String> row = new ArrayList<>();
            if (swept.isEmpty()) {
                row.add("all runs");
            }
            swept.forEach(k -> row.add(c.param(k)));
            for (MetricColumns.Column column : columns) {
                Stats s = c.stats(column.key());
                row.add(s.format());
                if (s.n() > 0) {
                    List<String> line = new ArrayList<>();
                    swept.forEach(k -> line.add(c.param(k)));
                    line.addAll(List.of(column.key(), Double.toString(s.mean()), Double.toString(s.std()),
                            Integer.toString(s.n()), c.seeds()));
                    csv.add(line);
                }
            }
            row.add(c.runs().size() + " (" + c.seeds() + ")");
            rows.add(row);
        }
        page.table(header, rows);
        return csv;
    }
}
