package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The survey's Table 3, measured: for each model family among the runs, the test cost per sample
 * (estimator calls, gradient evaluations, seconds; from {@code sample.nfe}, {@code sample.grad_evals}
 * and {@code sample.seconds}, which every run logs) and the training cost of each network it
 * trained (steps, seconds, images seen; from {@code train.seconds} and {@code train.images}).
 */
final class CostSection {

    static final String NFE = "sample.nfe";
    static final String GRAD_EVALS = "sample.grad_evals";
    /** A DALL-E 2 prior's passes per image (its own small network, beside the decoder's estimator calls). */
    static final String PRIOR_NFE = "sample.prior_nfe";
    /** The dataset a run sampled (and trained) on: a family's cost differs with the image size. */
    static final String DATASET = "dataset.name";
    static final String SECONDS_PER_SAMPLE = "sample.seconds";

    private CostSection() {
    }

    /**
     * Adds the two tables to {@code page}; returns their rows for cost.csv.
     *
     * @param runs     the reported runs (test cost)
     * @param trainers the runs that trained their models (training cost; see {@link TrainedModels#withTrainers})
     */
    static List<List<String>> write(Page page, List<RunSummary> runs, List<RunSummary> trainers) {
        List<List<String>> csv = new ArrayList<>();
        csv.add(List.of("table", "model", "dataset", "guidance_or_network", "sampler", "steps", "quantity", "mean", "std",
                "n"));
        page.heading(2, "Cost (the survey's Table 3, measured)");
        page.text("Test cost per sample, from what each run logged while sampling (mean ± std over runs): "
                + "estimator calls are the sampler's steps times the guidance's calls per step (2 for classifier-free "
                + "guidance); a gradient evaluation is one classifier forward and backward pass (classifier guidance); "
                + "seconds are the wall time of sampling divided by the number of samples, on the machine above.");
        // one row per sampling cost: the same model, dataset, guidance, sampler and steps, and the same
        // logged counts (classifier guidance at s = 0 takes no gradient), whatever the scale
        // a column for a second network's passes (DALL-E 2's prior) only when a run logged them
        boolean prior = runs.stream().anyMatch(r -> r.finalMetrics().containsKey(PRIOR_NFE));
        List<String> counts = prior ? List.of(NFE, PRIOR_NFE, GRAD_EVALS) : List.of(NFE, GRAD_EVALS);
        Map<List<String>, List<RunSummary>> sampling = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            List<String> key = new ArrayList<>(List.of(p(r, "model.name"), p(r, DATASET), p(r, "guidance.name"),
                    p(r, "sampler.name"), p(r, "sampler.steps")));
            counts.forEach(c -> key.add(count(r, c)));
            sampling.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<List<String>> rows = new ArrayList<>();
        sampling.forEach((key, members) -> {
            List<String> row = new ArrayList<>(key.subList(0, 3));
            row.add(members.stream().map(r -> r.params().getOrDefault("guidance.scale", "-")).distinct()
                    .sorted(Aggregation::compareValues).collect(Collectors.joining(", ")));
            row.addAll(key.subList(3, key.size()));
            Stats seconds = stats(members, SECONDS_PER_SAMPLE);
            row.add(seconds.format());
            row.add(Integer.toString(members.size()));
            rows.add(row);
            List<String> metrics = new ArrayList<>(counts);
            metrics.add(SECONDS_PER_SAMPLE);
            for (String metric : metrics) {
                Stats s = stats(members, metric);
                csv.add(List.of("test", key.get(0), key.get(1), key.get(2), key.get(3), key.get(4), metric,
                        Double.toString(s.mean()), Double.toString(s.std()), Integer.toString(s.n())));
            }
        });
        List<String> headings = new ArrayList<>(List.of("model family", "dataset", "guidance", "scales", "sampler",
                "steps", "estimator calls / sample"));
        if (prior) {
            headings.add("prior passes / sample");
        }
        headings.addAll(List.of("gradient evaluations / sample", "seconds / sample", "runs"));
        page.table(headings, rows);

        page.text("Training cost of each network a family trains on each dataset (mean ± std over the distinct trained "
                + "models: a model reused by several cells counts once): optimizer steps, wall seconds of the training loop "
                + "(`train.seconds`, summed over resumed segments) and images seen (`train.images`, steps × batch size).");
        Map<List<String>, List<Map<String, Double>>> training = new LinkedHashMap<>();
        for (TrainedModels.Model m : TrainedModels.of(trainers)) {
            RunSummary r = m.run();
            List<String> networks = new ArrayList<>(List.of(""));
            TrainedModels.auxiliaryNetworks(r).forEach(a -> networks.add(a + "."));
            for (String prefix : networks) {
                training.computeIfAbsent(List.of(p(r, "model.name"), p(r, DATASET), prefix.isEmpty() ? "estimator"
                        : prefix.substring(0, prefix.length() - 1)), k -> new ArrayList<>()).add(trainingCost(r, prefix));
            }
        }
        List<List<String>> trainRows = new ArrayList<>();
        training.forEach((key, costs) -> {
            List<String> row = new ArrayList<>(key);
            for (String q : List.of("steps", "seconds", "images")) {
                List<Double> values = costs.stream().map(c -> c.get(q)).filter(v -> v != null).toList();
                Stats s = Stats.of(values);
                row.add(s.format());
                csv.add(List.of("training", key.get(0), key.get(1), key.get(2), "", "", q, Double.toString(s.mean()),
                        Double.toString(s.std()), Integer.toString(s.n())));
            }
            row.add(Integer.toString(costs.size()));
            trainRows.add(row);
        });
        if (trainRows.isEmpty()) {
            page.text("No run among these trained a model (every cell reused one, or none logged `train.loss`).");
        } else {
            page.table(List.of("model family", "dataset", "network", "training steps", "training seconds", "images seen", "models"),
                    trainRows);
        }
        List<String> elsewhere = TrainedModels.of(trainers).stream().filter(m -> !m.trained())
                .map(m -> "`" + m.label() + "` (trained in run `" + m.run().tags().getOrDefault(
                        TrainedModels.TRAINED_IN_RUN_TAG, "?") + "`)").toList();
        if (!elsewhere.isEmpty()) {
            page.text("Not in the store read for this report, the training run of " + String.join(", ", elsewhere)
                    + ": counted above with the steps and images its params give; its seconds and auxiliary networks "
                    + "are unknown here.");
        }
        return csv;
    }

    /** Steps, seconds and images of one network of a run; steps = images / batch size. */
    static Map<String, Double> trainingCost(RunSummary r, String prefix) {
        Map<String, Double> cost = new LinkedHashMap<>();
        Double images = r.finalMetrics().get(prefix + "train.images");
        Double batch = number(r.params().get("train.batch_size"));
        if (images != null && batch != null && batch > 0) {
            cost.put("steps", images / batch);
        } else if (prefix.isEmpty() && number(r.params().get("train.steps")) != null) {
            cost.put("steps", number(r.params().get("train.steps")));
        }
        Double seconds = r.finalMetrics().get(prefix + "train.seconds");
        if (seconds != null) {
            cost.put("seconds", seconds);
        }
        if (images != null) {
            cost.put("images", images);
        } else if (cost.containsKey("steps") && batch != null) {
            cost.put("images", cost.get("steps") * batch);
        }
        return cost;
    }

    private static Stats stats(List<RunSummary> runs, String metric) {
        return Stats.of(runs.stream().map(r -> r.finalMetrics().get(metric)).filter(v -> v != null).toList());
    }

    /** A logged count (a whole number), or {@code -}. */
    private static String count(RunSummary r, String key) {
        Double v = r.finalMetrics().get(key);
        return v == null ? "-" : Stats.number(v);
    }

    private static String p(RunSummary r, String key) {
        return r.params().getOrDefault(key, "-");
    }

    private static Double number(String s) {
        try {
            return s == null ? null : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
