package io.difflab.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown page as the report checks read it: its tables (image rows left out), its bullets (with
 * their nesting) and its other prose lines; fenced code is skipped.
 *
 * @param tables  the tables, header and rows of trimmed cells
 * @param bullets bullet lines, each with its indent and its text
 * @param prose   the other non-empty lines outside tables, headings and code
 */
record ReportMarkdown(List<Table> tables, List<Bullet> bullets, List<String> prose) {

    /** A table. */
    record Table(List<String> header, List<List<String>> rows) {

        /** The index of the column whose heading contains {@code text}, or −1. */
        int column(String text) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).contains(text)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A bullet: its indent (0 for the outer level) and its text. */
    record Bullet(int indent, String text) { }

    static ReportMarkdown read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static ReportMarkdown parse(List<String> lines) {
        List<Table> tables = new ArrayList<>();
        List<Bullet> bullets = new ArrayList<>();
        List<String> prose = new ArrayList<>();
        boolean code = false;
        List<String> tableLines = new ArrayList<>();
        boolean previousWasBullet = false;
        for (String line : lines) {
            if (line.trim().startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            if (line.trim().startsWith("|")) {
                tableLines.add(line.trim());
                previousWasBullet = false;
                continue;
            }
            if (!tableLines.isEmpty()) {
                table(tableLines).ifPresent(tables::add);
                tableLines.clear();
            }
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                previousWasBullet = false;
                continue;
            }
            if (trimmed.startsWith("- ")) {
                bullets.add(new Bullet(line.indexOf('-'), trimmed.substring(2)));
                previousWasBullet = true;
            } else if (!bullets.isEmpty() && previousWasBullet && isContinuation(line)) {
                Bullet last = bullets.remove(bullets.size() - 1);
                bullets.add(new Bullet(last.indent(), last.text() + " " + trimmed));
            } else {
                prose.add(trimmed);
                previousWasBullet = false;
            }
        }
        if (!tableLines.isEmpty()) {
            table(tableLines).ifPresent(tables::add);
        }
        return new ReportMarkdown(tables, bullets, prose);
    }

    /** A line indented under a bullet continues it. */
    private static boolean isContinuation(String line) {
        return line.startsWith("  ") && !line.trim().startsWith("- ");
    }

    private static java.util.Optional<Table> table(List<String> lines) {
        if (lines.size() < 2 || !lines.get(1).replaceAll("[|\\-: ]", "").isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> header = cells(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (String row : lines.subList(2, lines.size())) {
            rows.add(cells(row));
        }
        if (rows.stream().flatMap(List::stream).anyMatch(c -> c.startsWith("!["))) {
            return java.util.Optional.empty(); // figures side by side, not data
        }
        return java.util.Optional.of(new Table(header, rows));
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        List<String> out = new ArrayList<>();
        for (String c : inner.split("(?<!\\\\)\\|", -1)) {
            out.add(c.trim().replace("\\|", "|"));
        }
        return out;
    }
}
