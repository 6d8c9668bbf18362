package io.difflab.cli.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed reports under {@code reports/} agree with themselves and with their index
 * ({@code reports/README.md}): each folder holds what the index says; every number the index's
 * prose cites about a report is in that report's tables; each page the report command wrote agrees
 * with itself ({@link GeneratedPageChecks}); and a report is marked for regeneration exactly when
 * the code or specs its runs were made with changed since its commit ({@link ReportStaleness}).
 */
class CommittedReportsTest {

    /** One row of the index's layout table. */
    record Entry(String folder, List<String> holds, String regenerate) {
        boolean awaitsRegeneration() {
            return regenerate.startsWith("yes");
        }
    }

    static Path reports() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("reports/README.md")) && Files.isDirectory(p.resolve("platform"))) {
                return p.resolve("reports");
            }
        }
        throw new IllegalStateException("no reports/ above " + Path.of("").toAbsolutePath());
    }

    /** The index's table with the columns folder, holds and regenerate. */
    static List<Entry> index() throws IOException {
        ReportMarkdown index = ReportMarkdown.read(reports().resolve("README.md"));
        ReportMarkdown.Table table = index.tables().stream().filter(t -> t.column("folder") >= 0
                && t.column("holds") >= 0 && t.column("regenerate") >= 0).findFirst().orElseThrow(
                        () -> new AssertionError("reports/README.md has no table of folder, holds, regenerate"));
        List<Entry> out = new ArrayList<>();
        for (List<String> row : table.rows()) {
            out.add(new Entry(codeSpans(row.get(table.column("folder"))).get(0),
                    codeSpans(row.get(table.column("holds"))), row.get(table.column("regenerate"))));
        }
        return out;
    }

    private static List<String> codeSpans(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyFolderHoldsWhatTheIndexSays() throws IOException {
        List<Entry> entries = index();
        TreeSet<String> listed = new TreeSet<>();
        for (Entry e : entries) {
            listed.add(e.folder());
            Path folder = reports().resolve(e.folder());
            assertTrue(Files.isDirectory(folder), e.folder() + " is listed but missing");
            try (Stream<Path> files = Files.list(folder)) {
                TreeSet<String> held = new TreeSet<>(files.map(f -> f.getFileName() + (Files.isDirectory(f) ? "/" : ""))
                        .toList());
                assertEquals(new TreeSet<>(e.holds()), held, e.folder() + " holds what the index says");
            }
        }
        try (Stream<Path> dirs = Files.list(reports())) {
            assertEquals(listed, new TreeSet<>(dirs.filter(Files::isDirectory).map(d -> d.getFileName() + "/").toList()),
                    "every folder under reports/ is in the index");
        }
    }

    @Test
    void theIndexCitesOnlyNumbersItsReportsHold() throws IOException {
        Map<String, List<Double>> data = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        for (Entry e : index()) {
            data.put(e.folder(), ReportChecks.data(reports().resolve(e.folder())));
            all.addAll(data.get(e.folder()));
        }
        ReportMarkdown page = ReportMarkdown.read(reports().resolve("README.md"));
        List<String> unbacked = new ArrayList<>();
        String about = null;
        for (ReportMarkdown.Bullet b : page.bullets()) {
            if (b.indent() == 0) { // a bullet about a report starts with its folder; its sub-bullets are about it too
                Matcher m = Pattern.compile("^`([\\w.-]+/)`").matcher(b.text());
                about = m.find() && data.containsKey(m.group(1)) ? m.group(1) : null;
            }
            List<Double> backing = about == null ? all : data.get(about);
            ReportChecks.unbacked(b.text(), backing).forEach(n -> unbacked.add(n + " in: " + b.text()));
        }
        for (String line : page.prose()) {
            ReportChecks.unbacked(line, all).forEach(n -> unbacked.add(n + " in: " + line));
        }
        assertEquals(List.of(), unbacked, "numbers in reports/README.md that no table of the report holds");
    }

    @Test
    void pagesOfTheCurrentReportCommandAgreeWithThemselves() throws IOException {
        List<String> checked = new ArrayList<>();
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Entry e : index()) {
            Path folder = reports().resolve(e.folder());
            if (e.awaitsRegeneration() || !Files.isRegularFile(folder.resolve("README.md"))) {
                continue; // made by an earlier report command: regenerated, it is checked here
            }
            checked.add(e.folder());
            List<String> f = GeneratedPageChecks.check(folder);
            if (!f.isEmpty()) {
                found.put(e.folder(), f);
            }
        }
        Assumptions.assumeFalse(checked.isEmpty(), "every committed report awaits regeneration (reports/README.md)");
        assertEquals(Map.of(), found);
    }

    @Test
    void reportsAwaitRegenerationExactlyWhenTheirCodeChanged() throws IOException {
        ReportStaleness staleness = ReportStaleness.of(reports().getParent());
        Assumptions.assumeTrue(staleness != null, "not a git checkout: the commits of reports cannot be compared");
        List<String> wrong = new ArrayList<>();
        for (Entry e : index()) {
            String why = staleness.whyStale(reports().resolve(e.folder()));
            if ((why != null) != e.awaitsRegeneration()) {
                wrong.add(e.folder() + (why != null ? " is stale (" + why + ") but not marked"
                        : " is marked '" + e.regenerate() + "' but its commit's code is the current one"));
            }
        }
        assertEquals(List.of(), wrong, "the regenerate column of reports/README.md");
    }
}
