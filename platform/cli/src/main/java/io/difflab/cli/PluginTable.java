package io.difflab.cli;

import io.difflab.host.plugin.PluginReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders plugin reports as the table {@code difflab plugins} prints. */
final class PluginTable {

    private static final List<String> HEADER = List.of("PLUGIN", "VERSION", "STATE", "EXTENSIONS");

    private PluginTable() { }

    static String render(List<PluginReport> reports) {
        List<List<String>> rows = new ArrayList<>();
        for (PluginReport r : reports) {
            List<String> extensions = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : r.extensions().entrySet()) {
                extensions.add(e.getKey() + ": " + String.join(", ", e.getValue()));
            }
            rows.add(List.of(r.id(), r.version(), r.state(), extensions.isEmpty() ? "-" : String.join("\n", extensions)));
        }
        int[] width = new int[HEADER.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = HEADER.get(c).length();
            for (List<String> row : rows) {
                for (String line : row.get(c).split("\n")) {
                    width[c] = Math.max(width[c], line.length());
                }
            }
        }
        StringBuilder s = new StringBuilder();
        line(s, HEADER, width);
        for (int i = 0; i < rows.size(); i++) {
            String[] extensionLines = rows.get(i).get(3).split("\n");
            List<String> first = new ArrayList<>(rows.get(i).subList(0, 3));
            first.add(extensionLines[0]);
            line(s, first, width);
            for (int k = 1; k < extensionLines.length; k++) {
                line(s, List.of("", "", "", extensionLines[k]), width);
            }
            String failure = reports.get(i).failure();
            if (failure != null) {
                s.append("  ! ").append(failure).append('\n');
            }
        }
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(c == cells.size() - 1 ? cells.get(c) : pad(cells.get(c), width[c] + 2));
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
