package io.difflab.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a committed report must agree with: the numbers its prose cites are in its tables (at the
 * precision the prose gives), and a page the report command wrote agrees with itself (its run,
 * cell and training counts, its tables and CSV files, its images) and names its commit and evaluator.
 */
final class ReportChecks {

    /** Things in prose that hold numbers but are no results: code spans, citations, references, dates. */
    private static final List<Pattern> NOT_RESULTS = List.of(
            Pattern.compile("`[^`]*`"),
            Pattern.compile("\\[[^\\]]*]\\([^)]*\\)"),
            Pattern.compile("\\p{Lu}[\\p{L}-]+( et al\\.| & \\p{Lu}[\\p{L}-]+)?,? \\d{4}"),
            Pattern.compile("(eq|Eq|sec|Alg|App|Table|issue|Issue)\\.? #?\\d+"),
            Pattern.compile("#\\d+"),
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}Z)?"));

    private static final Pattern PROSE_NUMBER = Pattern.compile("(~)?(?<![\\p{L}\\d.])(\\d+(?:\\.\\d+)?)(?![\\p{L}\\d])");
    private static final Pattern DATA_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE]-?\\d+)?");

    /** A number in prose and the precision it is given at. */
    record ProseNumber(String token, double value, int decimals, boolean approximate) {

        /** Whether {@code v} rounds to this number at its precision (or is within 2% when written ~x). */
        boolean matches(double v) {
            double half = 0.5 * Math.pow(10, -decimals) * (1 + 1e-9);
            return Math.abs(v - value) <= half || approximate && Math.abs(v - value) <= 0.02 * Math.abs(value);
        }
    }

    private ReportChecks() {
    }

    /** The numbers of {@code text} that claim a result. */
    static List<ProseNumber> proseNumbers(String text) {
        String rest = text;
        for (Pattern p : NOT_RESULTS) {
            rest = p.matcher(rest).replaceAll(" ");
        }
        List<ProseNumber> out = new ArrayList<>();
        Matcher m = PROSE_NUMBER.matcher(rest);
        while (m.find()) {
            String token = m.group(2);
            int dot = token.indexOf('.');
            out.add(new ProseNumber(token, Double.parseDouble(token), dot < 0 ? 0 : token.length() - dot - 1,
                    m.group(1) != null));
        }
        return out;
    }

    /** The prose numbers of {@code text} that no value of {@code data} backs. */
    static List<String> unbacked(String text, Collection<Double> data) {
        return proseNumbers(text).stream().filter(p -> data.stream().noneMatch(p::matches))
                .map(ProseNumber::token).toList();
    }

    /**
     * The values a report folder holds: every number in its page's tables and fact bullets, and in
     * its CSV files (full precision); for a copy of a run's files, the numbers in them.
     */
    static List<Double> data(Path folder) throws IOException {
        List<Double> values = new ArrayList<>();
        Path readme = folder.resolve("README.md");
        if (Files.isRegularFile(readme)) {
            ReportMarkdown page = ReportMarkdown.read(readme);
            page.tables().forEach(t -> t.rows().forEach(r -> r.forEach(c -> numbers(c, values))));
            page.bullets().forEach(b -> numbers(b.text(), values));
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".properties"))
                    .toList()) {
                numbers(Files.readString(f, StandardCharsets.UTF_8), values);
            }
        }
        return values;
    }

    private static void numbers(String text, List<Double> into) {
        Matcher m = DATA_NUMBER.matcher(text);
        while (m.find()) {
            into.add(Double.parseDouble(m.group()));
        }
    }
}
