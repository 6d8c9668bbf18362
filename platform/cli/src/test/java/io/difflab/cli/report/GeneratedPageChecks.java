package io.difflab.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A page {@code difflab report} wrote, checked against itself: the finished runs it counts are the
 * runs of its tables, the sweep's cells and trainings are the runs and the trained models it lists,
 * its results table shows results.csv's values, every image it shows exists and every grid and plot
 * it holds is shown, and it names the commit and (for evaluation metrics) the evaluator its runs used.
 */
final class GeneratedPageChecks {

    private static final Pattern FINISHED = Pattern.compile("^(\\d+) finished runs? in ");
    private static final Pattern SWEEP = Pattern.compile("The sweep has (\\d+) cells sharing (\\d+) trainings?");
    private static final Pattern COMMIT = Pattern.compile("`[0-9a-f]{40}`");
    private static final Pattern EVALUATOR = Pattern.compile("sha256 `[0-9a-f]{64}`, test accuracy (0\\.\\d+|1\\.0+)");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(([^)]+)\\)");
    /** The results table's headings of metrics computed with the trained evaluator. */
    private static final Set<String> EVALUATOR_HEADINGS = Set.of("FD ↓", "FD floor", "cond-accuracy ↑", "precision ↑",
            "recall ↑", "IS ↑");

    private GeneratedPageChecks() {
    }

    /** What the page in {@code folder} gets wrong; empty when it agrees with itself. */
    static List<String> check(Path folder) throws IOException {
        List<String> found = new ArrayList<>();
        String text = Files.readString(folder.resolve("README.md"), StandardCharsets.UTF_8);
        ReportMarkdown page = ReportMarkdown.parse(text.lines().toList());
        Optional<Integer> finished = fact(page, FINISHED);
        if (finished.isEmpty()) {
            return List.of("no 'N finished runs' line");
        }
        int n = finished.get();
        Optional<ReportMarkdown.Table> results = table(page, "runs (seeds)");
        Optional<ReportMarkdown.Table> sampling = table(page, "estimator calls / sample");
        Optional<ReportMarkdown.Table> training = table(page, "images seen");
        results.ifPresent(t -> expect(found, n, sum(t, t.header().size() - 1), "runs in the results table"));
        sampling.ifPresent(t -> expect(found, n, sum(t, t.header().size() - 1), "runs in the cost table"));
        int leftOut = page.bullets().stream().filter(b -> b.text().startsWith("Left out"))
                .mapToInt(b -> b.text().split("`").length / 2).sum();
        Matcher sweep = SWEEP.matcher(text);
        if (sweep.find()) {
            expect(found, Integer.parseInt(sweep.group(1)), n + leftOut, "the sweep's cells against the runs shown and left out");
            int models = training.map(t -> t.rows().stream().filter(r -> r.get(t.column("network")).equals("estimator"))
                    .mapToInt(r -> Integer.parseInt(r.get(r.size() - 1))).sum()).orElse(0);
            expect(found, Integer.parseInt(sweep.group(2)), models, "the sweep's trainings against the trained models listed");
        }
        String commit = factLine(page, "Commit:").replaceFirst(" \\(difflab [^)]*\\)$", "");
        if (!COMMIT.matcher(commit).find() || commit.contains("not recorded")) {
            found.add("the commit is not named: " + commit);
        }
        if (results.isPresent() && results.get().header().stream().anyMatch(EVALUATOR_HEADINGS::contains)) {
            String evaluator = factLine(page, "Evaluator:");
            if (!EVALUATOR.matcher(evaluator).find() || evaluator.contains("not recorded")) {
                found.add("the evaluator is not named: '" + evaluator + "'");
            }
        }
        if (results.isPresent() && Files.isRegularFile(folder.resolve("results.csv"))) {
            found.addAll(ResultsTableChecks.againstCsv(results.get(), folder.resolve("results.csv")));
        }
        found.addAll(images(folder, text));
        return found;
    }

    private static void expect(List<String> found, int expected, int actual, String what) {
        if (expected != actual) {
            found.add(what + ": " + expected + " against " + actual);
        }
    }

    private static Optional<Integer> fact(ReportMarkdown page, Pattern p) {
        return page.bullets().stream().map(b -> p.matcher(b.text())).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).findFirst();
    }

    private static String factLine(ReportMarkdown page, String prefix) {
        return page.bullets().stream().map(ReportMarkdown.Bullet::text).filter(t -> t.startsWith(prefix))
                .findFirst().orElse("(none)");
    }

    private static Optional<ReportMarkdown.Table> table(ReportMarkdown page, String heading) {
        return page.tables().stream().filter(t -> t.column(heading) >= 0).findFirst();
    }

    /** The sum of the leading whole numbers of a column ("2 (0, 1)" counts 2). */
    private static int sum(ReportMarkdown.Table t, int column) {
        return t.rows().stream().mapToInt(r -> Integer.parseInt(r.get(column).split(" ")[0])).sum();
    }

    /** Every image shown exists; every file of grids/ and plots/ is shown. */
    private static List<String> images(Path folder, String text) throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        Matcher m = IMAGE.matcher(text);
        while (m.find()) {
            shown.add(m.group(1));
            if (!Files.isRegularFile(folder.resolve(m.group(1)))) {
                found.add("shows a missing image " + m.group(1));
            }
        }
        for (String dir : List.of("grids", "plots")) {
            if (Files.isDirectory(folder.resolve(dir))) {
                try (Stream<Path> files = Files.list(folder.resolve(dir))) {
                    files.map(f -> dir + "/" + f.getFileName()).filter(f -> !shown.contains(f))
                            .forEach(f -> found.add("holds " + f + " but does not show it"));
                }
            }
        }
        return found;
    }
}
