package io.difflab.cli.report;

import io.difflab.api.UserError;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The distinct trained models among runs: runs whose params agree on everything that shapes
 * training (all but the sampling, guidance, metric and tracking settings; the seed counts) share
 * one model, and so do runs with the same {@code difflab.training_key} tag (set by sweeps). Only
 * runs that trained log {@code train.loss}; a sweep cell that reused a model did not, and names the
 * run that trained it ({@code difflab.trained_in_run}).
 */
final class TrainedModels {

    /** The tag a sweep's cells carry naming their trained model. */
    static final String TRAINING_KEY_TAG = "difflab.training_key";

    /** The tag of a sweep cell that reused a model: the MLflow run id of the run that trained it. */
    static final String TRAINED_IN_RUN_TAG = "difflab.trained_in_run";

    /** Longest legend label of a model. */
    static final int LABEL_LENGTH = 60;

    /** Params that change sampling or bookkeeping only. */
    private static final List<String> NOT_TRAINING = List.of("sampler.", "guidance.", "sample.", "metrics.",
            "tracking.");
    private static final Set<String> NOT_TRAINING_KEYS = Set.of("name", "device");

    private TrainedModels() {
    }

    /**
     * One model: its label (the training params that differ between models) and a run of it: the
     * run that trained it, or when that run is not at hand (deleted, or in a store not read), a run
     * that reused it, whose params are the training's.
     *
     * @param trained whether {@code run} is the run that trained it
     */
    record Model(String label, RunSummary run, boolean trained) { }

    /**
     * The models of {@code runs}: those trained by runs that logged {@code train.loss}, one run
     * each, then those the runs reused (their {@code difflab.training_key}) whose training run is
     * not among them, so that every training the runs stand on is counted.
     */
    static List<Model> of(List<RunSummary> runs) {
        Map<Map<String, String>, RunSummary> models = new LinkedHashMap<>();
        Set<Map<String, String>> trainedHere = new java.util.HashSet<>();
        Set<String> keys = new java.util.HashSet<>();
        for (RunSummary r : runs) {
            String key = r.tags().get(TRAINING_KEY_TAG);
            if (r.finalMetrics().containsKey("train.loss") && (key == null || keys.add(key))) {
                Map<String, String> params = trainingParams(r);
                models.putIfAbsent(params, r);
                trainedHere.add(params);
            }
        }
        for (RunSummary r : runs) {
            String key = r.tags().get(TRAINING_KEY_TAG);
            if (!r.finalMetrics().containsKey("train.loss") && key != null && keys.add(key)) {
                models.putIfAbsent(trainingParams(r), r);
            }
        }
        List<Model> out = new ArrayList<>();
        models.forEach((params, run) -> out.add(new Model(label(params, models.keySet()), run,
                trainedHere.contains(params))));
        return out;
    }

    /**
     * The model's name, plus the training params that tell it from the other models of the same
     * name (the seed first), at most {@value #LABEL_LENGTH} characters.
     */
    static String label(Map<String, String> params, Set<Map<String, String>> all) {
        String name = params.getOrDefault("model.name", "model");
        List<Map<String, String>> siblings = all.stream().filter(p -> name.equals(p.getOrDefault("model.name", "model")))
                .toList();
        Set<String> differing = new TreeSet<>();
        siblings.forEach(p -> differing.addAll(p.keySet()));
        differing.removeIf(key -> siblings.stream().map(p -> p.getOrDefault(key, "-")).distinct().count() < 2);
        List<String> parts = new ArrayList<>(List.of(name));
        if (differing.remove(Aggregation.SEED)) {
            parts.add("seed=" + params.getOrDefault(Aggregation.SEED, "-"));
        }
        differing.forEach(k -> parts.add(Configuration.shortKey(k) + "=" + params.getOrDefault(k, "-")));
        String label = String.join(", ", parts);
        return label.length() <= LABEL_LENGTH ? label : label.substring(0, LABEL_LENGTH - 1) + "…";
    }

    /**
     * {@code runs} plus the runs that trained the models some of them reused (a sweep cell's
     * {@code difflab.trained_in_run} tag; that run may belong to another sweep), so that a report
     * has every loss curve and training cost even when the training was paid elsewhere.
     */
    static List<RunSummary> withTrainers(List<RunSummary> runs, RunCatalog catalog) {
        List<RunSummary> all = new ArrayList<>(runs);
        Set<String> known = new java.util.HashSet<>();
        runs.forEach(r -> known.add(r.runId()));
        for (RunSummary r : runs) {
            String trainer = r.tags().get(TRAINED_IN_RUN_TAG);
            if (trainer != null && known.add(trainer)) {
                try {
                    all.add(catalog.run(trainer));
                } catch (UserError | IOException gone) {
                    // the trainer's run was deleted or is elsewhere: its cost is then unknown here
                }
            }
        }
        return all;
    }

    static Map<String, String> trainingParams(RunSummary r) {
        Map<String, String> params = new TreeMap<>();
        r.params().forEach((k, v) -> {
            if (!NOT_TRAINING_KEYS.contains(k) && NOT_TRAINING.stream().noneMatch(k::startsWith)) {
                params.put(k, v);
            }
        });
        return params;
    }

    /** The auxiliary networks a run trained ({@code <name>.train.loss} keys), e.g. {@code classifier}. */
    static List<String> auxiliaryNetworks(RunSummary r) {
        return r.finalMetrics().keySet().stream().filter(k -> k.endsWith(".train.loss"))
                .map(k -> k.substring(0, k.length() - ".train.loss".length())).sorted().toList();
    }
}
