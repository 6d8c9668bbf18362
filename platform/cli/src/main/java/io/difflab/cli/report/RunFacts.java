package io.difflab.cli.report;

import io.difflab.tracking.SystemTags;
import io.difflab.tracking.catalog.RunSummary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where and when the runs ran, from their provenance tags: machine, engine, commit, spec, the
 * evaluator their evaluation metrics used (its parameters' SHA-256 and test accuracy: a weak or
 * different evaluator changes every FD, precision and recall), dates.
 */
final class RunFacts {

    private static final String NOT_RECORDED = "not recorded";
    /** The evaluator tags the metrics plugin sets (EvaluatorMetric). */
    static final String EVALUATOR_SHA256 = "eval.evaluator.sha256";
    static final String EVALUATOR_ACCURACY = "eval.evaluator.test_accuracy";

    private RunFacts() {
    }

    /** Bullet lines about the finished runs, and which runs were left out. */
    static List<String> lines(List<RunSummary> finished, List<RunSummary> others) {
        List<String> lines = new ArrayList<>();
        lines.add(finished.size() + " finished run" + (finished.size() == 1 ? "" : "s") + " in experiment "
                + distinct(finished, r -> "`" + r.experimentName() + "`"));
        if (!others.isEmpty()) {
            lines.add("Left out (not finished): " + others.stream()
                    .map(r -> "`" + r.runName() + "` (" + r.status().name().toLowerCase() + ")").collect(Collectors.joining(", ")));
        }
        lines.add("Machine: " + distinct(finished, r -> machine(r)));
        lines.add("Engine: " + distinct(finished, r -> tag(r, "difflab.engine") + ", DJL " + tag(r, "difflab.djl")
                + ", " + tag(r, "difflab.jvm")));
        lines.add("Commit: " + distinct(finished, r -> code(tag(r, SystemTags.GIT_COMMIT)))
                + " (difflab " + distinct(finished, r -> tag(r, "difflab.version")) + ")");
        lines.add("Spec: " + distinct(finished, r -> code(tag(r, SystemTags.SOURCE_NAME))));
        lines.add("Evaluator: " + evaluators(finished));
        long first = finished.stream().mapToLong(RunSummary::startTime).min().orElse(0);
        long last = finished.stream().mapToLong(r -> r.endTime() == null ? r.startTime() : r.endTime()).max().orElse(0);
        lines.add("Ran from " + ReportBuilder.instant(first) + " to " + ReportBuilder.instant(last));
        return lines;
    }

    /** Each distinct evaluator (SHA-256 prefix and test accuracy) with its number of runs; "none" without evaluation metrics. */
    static String evaluators(List<RunSummary> runs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            String sha = r.tags().get(EVALUATOR_SHA256);
            if (sha != null) {
                String accuracy = r.tags().getOrDefault(EVALUATOR_ACCURACY, NOT_RECORDED);
                counts.merge("`" + sha.substring(0, Math.min(12, sha.length())) + "` (test accuracy " + accuracy + ")",
                        1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return "none (no evaluation metric used one)";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((evaluator, n) -> parts.add(evaluator + (counts.size() > 1 ? ", " + n + " runs" : "")));
        return String.join("; ", parts) + (counts.size() > 1 ? " — different evaluators: their numbers do not compare"
                : "");
    }

    private static String machine(RunSummary r) {
        String isa = r.tags().get("difflab.onednn_max_cpu_isa");
        return tag(r, "difflab.cpus") + " CPUs, " + tag(r, "difflab.os") + ", device " + tag(r, "difflab.device")
                + (isa == null ? "" : ", oneDNN ISA " + isa);
    }

    /** A recorded value as code; "not recorded" as text. */
    private static String code(String value) {
        return value.equals(NOT_RECORDED) ? value : "`" + value + "`";
    }

    private static String tag(RunSummary r, String key) {
        return r.tags().getOrDefault(key, NOT_RECORDED);
    }

    /** The distinct values over the runs, in order of first appearance, separated by "; ". */
    private static String distinct(List<RunSummary> runs, Function<RunSummary, String> value) {
        Set<String> values = new LinkedHashSet<>();
        runs.forEach(r -> values.add(value.apply(r)));
        return String.join("; ", values);
    }
}
