package io.difflab.plugins.cfdg.report;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The logged results of a guidance-scale sweep: for each scale s, the {@code results.properties}
 * that {@code difflab run} wrote (copied as {@code runs/s-<scale>.properties}), plus the facts about
 * the sweep itself in {@code runs/sweep.properties} (command, budget, training time).
 */
record SweepResults(List<Row> rows, Map<String, String> sweep) {

    /** One scale's values, keyed as the run logged them ({@code eval.fd}, {@code sample.nfe}). */
    record Row(double scale, Map<String, Double> values) {

        /** The value of {@code key}, or NaN when the run did not log it. */
        double get(String key) {
            return values.getOrDefault(key, Double.NaN);
        }
    }

    private static final Pattern FILE = Pattern.compile("s-([0-9.]+)\\.properties");

    /** Reads {@code dir}/runs/. */
    static SweepResults read(Path dir) {
        Path runs = dir.resolve("runs");
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path f : files.toList()) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    Map<String, Double> values = new TreeMap<>();
                    load(f).forEach((k, v) -> values.put(k.toString(), Double.parseDouble(v.toString())));
                    rows.add(new Row(Double.parseDouble(m.group(1)), values));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(runs + " holds no s-<scale>.properties");
        }
        rows.sort(Comparator.comparingDouble(Row::scale));
        Map<String, String> sweep = new TreeMap<>();
        Path facts = runs.resolve("sweep.properties");
        if (Files.exists(facts)) {
            load(facts).forEach((k, v) -> sweep.put(k.toString(), v.toString()));
        }
        return new SweepResults(List.copyOf(rows), Map.copyOf(sweep));
    }

    /** The row with the largest value of {@code key} (NaN rows skipped), or null. */
    Row argMax(String key, int sign) {
        Row best = null;
        for (Row r : rows) {
            double v = r.get(key);
            if (!Double.isNaN(v) && (best == null || sign * v > sign * best.get(key))) {
                best = r;
            }
        }
        return best;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
