package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One configuration of a report: runs whose params are equal except for the seed, so that each
 * metric is reported as mean ± std over them.
 *
 * @param params every param the runs share (the seed left out)
 * @param runs   the runs, one per seed
 */
public record Configuration(Map<String, String> params, List<RunSummary> runs) {

    /** The statistics of the metric {@code key} over the runs that logged it. */
    public Stats stats(String key) {
        List<Double> values = new ArrayList<>();
        for (RunSummary r : runs) {
            Double v = r.finalMetrics().get(key);
            if (v != null) {
                values.add(v);
            }
        }
        return Stats.of(values);
    }

    /**
     * The value of a param, else of the sweep's tag {@code sweep.<key>} (a variant such as
     * {@code method} is no param), or {@code -} when these runs have neither.
     */
    public String param(String key) {
        String value = params.get(key);
        if (value == null && !runs.isEmpty()) {
            value = runs.get(0).tags().get(Aggregation.SWEEP_TAG_PREFIX + key);
        }
        return value == null ? "-" : value;
    }

    /** Whether these runs have the param or the sweep tag. */
    public boolean has(String key) {
        return !param(key).equals("-");
    }

    /** The param as a number, or NaN when absent or not a number. */
    public double number(String key) {
        try {
            return Double.parseDouble(params.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code key=value} of the given params these runs have, comma-separated ({@code all runs} when none). */
    public String label(List<String> keys) {
        String label = keys.stream().filter(this::has).map(k -> shortKey(k) + "=" + param(k))
                .collect(Collectors.joining(", "));
        return label.isEmpty() ? "all runs" : label;
    }

    /** The seeds of the runs, comma-separated. */
    public String seeds() {
        return runs.stream().map(r -> r.params().getOrDefault(Aggregation.SEED, "?")).collect(Collectors.joining(", "));
    }

    /** A param key without its section where that is unambiguous enough for a label ({@code guidance.scale} → {@code scale}). */
    static String shortKey(String key) {
        return switch (key) {
            case "guidance.name" -> "guidance";
            case "guidance.scale" -> "scale";
            case "sampler.name" -> "sampler";
            case "sampler.steps" -> "steps";
            case "model.name" -> "model";
            default -> key;
        };
    }
}
