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

    /** The value of a param, or {@code -} when these runs do not have it. */
    public String param(String key) {
        return params.getOrDefault(key, "-");
    }

    /** The param as a number, or NaN when absent or not a number. */
    public double number(String key) {
        try {
            return Double.parseDouble(params.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code key=value} of the given params, comma-separated ({@code all} when there are none). */
    public String label(List<String> keys) {
        String label = keys.stream().map(k -> shortKey(k) + "=" + param(k)).collect(Collectors.joining(", "));
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
