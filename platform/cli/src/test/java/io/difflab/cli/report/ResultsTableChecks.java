package io.difflab.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The results table of a page shows results.csv's values, each formatted as the page formats them. */
final class ResultsTableChecks {

    private ResultsTableChecks() {
    }

    /** Rows of results.csv that the table does not show as they are. */
    static List<String> againstCsv(ReportMarkdown.Table table, Path csv) throws IOException {
        List<List<String>> rows = Files.readAllLines(csv, StandardCharsets.UTF_8).stream().map(ResultsTableChecks::split)
                .toList();
        List<String> header = rows.get(0);
        int metric = header.indexOf("metric");
        List<String> found = new ArrayList<>();
        if (rows.size() < 2) {
            found.add("results.csv has no rows");
        }
        for (List<String> row : rows.subList(1, rows.size())) {
            int column = table.header().indexOf(MetricColumns.heading(row.get(metric)));
            String expected = new Stats(Double.parseDouble(row.get(metric + 1)), Double.parseDouble(row.get(metric + 2)),
                    Integer.parseInt(row.get(metric + 3))).format();
            List<String> swept = row.subList(0, metric);
            boolean shown = column >= 0 && table.rows().stream().anyMatch(r -> (metric == 0 || r.subList(0, metric)
                    .equals(swept)) && r.get(column).equals(expected));
            if (!shown) {
                found.add("results.csv " + row + " is not shown as " + expected);
            }
        }
        return found;
    }

    /** A CSV line into cells (quotes as the report writes them). */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
