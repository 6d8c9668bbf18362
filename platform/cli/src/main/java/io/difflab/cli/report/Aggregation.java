package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Groups runs into configurations: runs whose params are all equal except {@code seed} are the
 * repeats of one configuration. Also tells which params were swept (those that differ between
 * runs, and those a sweep named in its {@code difflab.sweep.<key>} tags).
 */
public final class Aggregation {

    /** The param that tells repeats apart. */
    public static final String SEED = "seed";
    /** Prefix of the tags a sweep sets on each cell, naming the value of a swept key. */
    public static final String SWEEP_TAG_PREFIX = "difflab.sweep.";

    private Aggregation() {
    }

    /** The configurations of {@code runs}, ordered by the swept params (numbers by value). */
    public static List<Configuration> group(List<RunSummary> runs) {
        Map<Map<String, String>, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            Map<String, String> key = new TreeMap<>(r.params());
            key.remove(SEED);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Configuration> configurations = new ArrayList<>();
        groups.forEach((params, members) -> {
            List<RunSummary> bySeed = new ArrayList<>(members);
            bySeed.sort(Comparator.comparing((RunSummary r) -> r.params().getOrDefault(SEED, ""), Aggregation::compareValues));
            configurations.add(new Configuration(params, List.copyOf(bySeed)));
        });
        List<String> swept = sweptKeys(runs);
        configurations.sort((a, b) -> {
            for (String k : swept) {
                int c = compareValues(a.param(k), b.param(k));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        return configurations;
    }

    /**
     * The swept params: the keys a sweep's tags name first (in tag order), then every other
     * param whose value differs between runs (sorted); never the seed.
     */
    public static List<String> sweptKeys(List<RunSummary> runs) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunSummary r : runs) {
            for (String tag : new TreeSet<>(r.tags().keySet())) {
                String key = tag.startsWith(SWEEP_TAG_PREFIX) ? tag.substring(SWEEP_TAG_PREFIX.length()) : null;
                if (key != null && r.params().containsKey(key) && !key.equals(SEED)) {
                    keys.add(key);
                }
            }
        }
        Set<String> all = new TreeSet<>();
        runs.forEach(r -> all.addAll(r.params().keySet()));
        for (String key : all) {
            long distinct = runs.stream().map(r -> r.params().getOrDefault(key, "\u0000absent")).distinct().count();
            if (distinct > 1 && !key.equals(SEED)) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    /** Compares two param values: as numbers when both are, else as text. */
    static int compareValues(String a, String b) {
        Double x = parse(a);
        Double y = parse(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return a.compareTo(b);
    }

    private static Double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
