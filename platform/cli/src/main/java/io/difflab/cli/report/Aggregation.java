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
 * Groups runs into configurations: runs whose params are all equal except {@code seed} (and the
 * run's {@code name}, which a sweep makes per cell) are the repeats of one configuration. Also tells which keys were swept (those a sweep named in its
 * cells' {@code sweep.<key>} tags, else the params that differ between runs).
 */
public final class Aggregation {

    /** The param that tells repeats apart. */
    public static final String SEED = "seed";
    /** The spec's name: bookkeeping, not a setting (a sweep names each cell, seeds included). */
    public static final String NAME = "name";
    /** Prefix of the tags {@code difflab sweep} sets on each cell: {@code sweep.<key>} = the swept value. */
    public static final String SWEEP_TAG_PREFIX = "sweep.";
    /** The parent run's tag listing the sweep's axes, comma-separated, in the sweep file's order. */
    public static final String AXES_TAG = "difflab.sweep.axes";

    private Aggregation() {
    }

    /** The configurations of {@code runs}, ordered by the swept keys (numbers by value). */
    public static List<Configuration> group(List<RunSummary> runs) {
        return group(runs, sweptKeys(runs));
    }

    /** The configurations of {@code runs}, ordered by {@code swept}. */
    public static List<Configuration> group(List<RunSummary> runs, List<String> swept) {
        Map<Map<String, String>, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            Map<String, String> key = new TreeMap<>(r.params());
            key.remove(SEED);
            key.remove(NAME);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Configuration> configurations = new ArrayList<>();
        groups.forEach((params, members) -> {
            List<RunSummary> bySeed = new ArrayList<>(members);
            bySeed.sort(Comparator.comparing((RunSummary r) -> r.params().getOrDefault(SEED, ""), Aggregation::compareValues));
            configurations.add(new Configuration(params, List.copyOf(bySeed)));
        });
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
     * The swept keys. Cells of a {@code difflab sweep} name them in their {@code sweep.<key>} tags
     * (keys that are params, and variant names such as {@code method}): those, in the order of
     * {@code axes} (the parent's {@code difflab.sweep.axes}) then by name. Runs named directly: the
     * params whose values differ between them. Never the seed.
     */
    public static List<String> sweptKeys(List<RunSummary> runs, List<String> axes) {
        Set<String> tagged = new TreeSet<>();
        for (RunSummary r : runs) {
            for (String tag : r.tags().keySet()) {
                if (tag.startsWith(SWEEP_TAG_PREFIX)) {
                    tagged.add(tag.substring(SWEEP_TAG_PREFIX.length()));
                }
            }
        }
        tagged.remove(SEED);
        Set<String> keys = new LinkedHashSet<>();
        if (!tagged.isEmpty()) {
            axes.stream().filter(tagged::contains).forEach(keys::add);
            keys.addAll(tagged);
            return List.copyOf(keys);
        }
        Set<String> all = new TreeSet<>();
        runs.forEach(r -> all.addAll(r.params().keySet()));
        for (String key : all) {
            long distinct = runs.stream().map(r -> r.params().getOrDefault(key, "\u0000absent")).distinct().count();
            if (distinct > 1 && !key.equals(SEED) && !key.equals(NAME)) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    /** {@link #sweptKeys(List, List)} without an axis order. */
    public static List<String> sweptKeys(List<RunSummary> runs) {
        return sweptKeys(runs, List.of());
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
