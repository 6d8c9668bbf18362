package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric columns of the results table, from what the runs logged: the evaluation metrics
 * (the metrics plugin's {@code eval.*} keys) in a fixed order, then the sampling cost that every
 * run records ({@code sample.nfe}, {@code sample.grad_evals}, {@code sample.seconds}), and a dVAE's
 * reconstruction error and codebook use where runs logged them. Caption
 * faithfulness, CLIP score and retrieval have their own table ({@link FaithfulnessSection}).
 */
public final class MetricColumns {

    /** A column: the metric key and its heading. */
    public record Column(String key, String heading) { }

    /** Known keys, in table order, with their headings. */
    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("eval.fd", "FD ↓");
        KNOWN.put("eval.fd.floor", "FD floor");
        KNOWN.put("eval.cond_accuracy", "cond-accuracy ↑");
        KNOWN.put("eval.precision", "precision ↑");
        KNOWN.put("eval.recall", "recall ↑");
        KNOWN.put("eval.is", "IS ↑");
        KNOWN.put("eval.bpd", "bits/dim ↓");
        // a DALL-E dVAE's reconstructions of test images (their runs sample no images of their own)
        KNOWN.put("sample.reconstruction_mse", "reconstruction MSE ↓");
        KNOWN.put("sample.codes_used", "codes used");
        // a DALL-E 2 prior's passes per image (steps x 2 if guided x candidates), beside the decoder's NFE
        KNOWN.put("sample.prior_nfe", "prior NFE");
        KNOWN.put("sample.nfe", "NFE");
        KNOWN.put("sample.grad_evals", "grad evals");
        KNOWN.put("sample.seconds", "s/sample");
    }

    /**
     * {@code eval.*} keys not shown: bookkeeping ({@code .n}), parts of another column, and the
     * cost metric's copies of the {@code sample.*} facts.
     */
    private static final Set<String> HIDDEN = Set.of("eval.nfe", "eval.grad_evals", "eval.seconds_per_sample",
            "eval.peak_mb", "eval.is.std", "eval.bpd.prior", "eval.bpd.decoder");

    private MetricColumns() {
    }

    /** The columns for the metrics that at least one run logged. */
    public static List<Column> of(List<RunSummary> runs) {
        Set<String> logged = new TreeSet<>();
        runs.forEach(r -> logged.addAll(r.finalMetrics().keySet()));
        List<Column> columns = new ArrayList<>();
        KNOWN.forEach((key, heading) -> {
            if (logged.contains(key) && key.startsWith("eval.")) {
                columns.add(new Column(key, heading));
            }
        });
        for (String key : logged) {
            if (key.startsWith("eval.") && !KNOWN.containsKey(key) && !HIDDEN.contains(key) && !key.endsWith(".n")
                    && !FaithfulnessSection.owns(key)) {
                columns.add(new Column(key, key.substring("eval.".length())));
            }
        }
        KNOWN.forEach((key, heading) -> {
            if (logged.contains(key) && key.startsWith("sample.")) {
                columns.add(new Column(key, heading));
            }
        });
        return columns;
    }

    /** The heading of a metric key (the key itself when it is not a known one). */
    public static String heading(String key) {
        return KNOWN.getOrDefault(key, key.startsWith("eval.") ? key.substring(5) : key);
    }
}
