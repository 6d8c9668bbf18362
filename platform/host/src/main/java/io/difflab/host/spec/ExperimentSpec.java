package io.difflab.host.spec;

import io.difflab.api.Config;
import io.difflab.host.registry.ExtensionKind;
import io.difflab.kit.train.TrainSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated experiment spec (SPEC-SCHEMA.md) with every default filled in. Component
 * sections are {@link Config}s whose path is the section ({@code metrics[0]} for list entries).
 * Built by {@link SpecResolver}; immutable.
 *
 * @param name      run name prefix
 * @param seed      the seed of everything random in the run
 * @param device    {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param model     the model family section
 * @param dataset   the dataset section
 * @param schedule  the noise schedule section (with {@code timesteps}); {@code null} for a model that is not
 *                  a diffusion model, as for the estimator, sampler and guidance sections
 * @param estimator the noise estimator section
 * @param train     training settings
 * @param sampler   the sampler section (with {@code steps} and {@code variance})
 * @param guidance  the guidance section
 * @param sample    sampling settings
 * @param metrics   the metric sections, in spec order
 * @param tracking  tracking settings
 */
public record ExperimentSpec(String name, long seed, String device, Config model, Config dataset, Config schedule,
                             Config estimator, TrainSettings train, Config sampler, Config guidance,
                             SampleSettings sample, List<Config> metrics, TrackingSettings tracking) {

    public ExperimentSpec {
        Objects.requireNonNull(name, "name");
        metrics = List.copyOf(metrics);
    }

    /** T, the number of diffusion steps ({@code schedule.timesteps}), or 0 for a model without a schedule. */
    public int timesteps() {
        return schedule == null ? 0 : schedule.getInt("timesteps");
    }

    /** The component section {@code name} ({@code model}, {@code schedule}, ..., {@code guidance}). */
    public Config section(String name) {
        return switch (name) {
            case "model" -> model;
            case "dataset" -> dataset;
            case "schedule" -> schedule;
            case "estimator" -> estimator;
            case "sampler" -> sampler;
            case "guidance" -> guidance;
            default -> throw new IllegalArgumentException("no component section '" + name + "'");
        };
    }

    /** The {@code train} section as a {@link Config} (what model families read of it, e.g. the schedule sampler). */
    public Config trainSection() {
        return new Config("train", train(train));
    }

    /** The section of a component kind (not {@link ExtensionKind#METRIC}: see {@link #metrics()}). */
    public Config component(ExtensionKind kind) {
        return switch (kind) {
            case MODEL -> model;
            case DATASET -> dataset;
            case SCHEDULE -> schedule;
            case ESTIMATOR -> estimator;
            case SAMPLER -> sampler;
            case GUIDANCE -> guidance;
            case METRIC -> throw new IllegalArgumentException("metrics are a list: use metrics()");
        };
    }

    /** The resolved spec as YAML (what goes into the run folder); reading it back gives this spec. */
    public String toYaml() {
        return SpecYaml.dump(tree());
    }

    /**
     * Every value under a dotted key ({@code estimator.base_channels -> 32}, {@code metrics.0.name -> fd}),
     * as MLflow params: list entries are numbered with dots because MLflow keys cannot hold brackets.
     */
    public Map<String, String> flatten() {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree(), flat);
        return flat;
    }

    /** The spec as nested maps in schema order. */
    public Map<String, Object> tree() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("seed", seed);
        t.put("device", device);
        t.put("model", model.asMap());
        t.put("dataset", dataset.asMap());
        putSection(t, "schedule", schedule);
        putSection(t, "estimator", estimator);
        t.put("train", train(train));
        putSection(t, "sampler", sampler);
        putSection(t, "guidance", guidance);
        Map<String, Object> sa = new LinkedHashMap<>();
        sa.put("count", sample.count());
        sa.put("batch_size", sample.batchSize());
        sa.put("labels", sample.labels());
        sa.put("prompts", sample.prompts());
        sa.put("reference_images", sample.referenceImages());
        t.put("sample", sa);
        List<Object> m = new ArrayList<>();
        metrics.forEach(c -> m.add(c.asMap()));
        t.put("metrics", m);
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("uri", tracking.uri());
        tr.put("experiment", tracking.experiment());
        t.put("tracking", tr);
        return t;
    }

    /** A section the model reads; those it does not read are left out. */
    private static void putSection(Map<String, Object> tree, String name, Config section) {
        if (section != null) {
            tree.put(name, section.asMap());
        }
    }

    private static Map<String, Object> train(TrainSettings s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", s.steps());
        t.put("batch_size", s.batchSize());
        t.put("lr", s.lr());
        t.put("warmup_steps", s.warmupSteps());
        t.put("grad_clip", s.gradClip());
        t.put("ema_decay", s.emaDecay());
        t.put("log_every", s.logEvery());
        t.put("checkpoint_every", s.checkpointEvery());
        t.put("eval_every", s.evalEvery());
        t.put("eval_samples", s.evalSamples());
        t.put("schedule_sampler", s.scheduleSampler());
        return t;
    }

    private static void flatten(String prefix, Object value, Map<String, String> into) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, into));
        } else if (value instanceof List<?> list && list.stream().anyMatch(e -> e instanceof Map)) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "." + i, list.get(i), into);
            }
        } else {
            into.put(prefix, String.valueOf(value));
        }
    }
}
