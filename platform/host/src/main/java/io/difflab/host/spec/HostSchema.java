package io.difflab.host.spec;

import io.difflab.api.Option;
import io.difflab.host.registry.ExtensionKind;
import io.difflab.kit.diffusion.ScheduleSampler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host itself reads from a spec (SPEC-SCHEMA.md): the top-level keys, the host
 * sections ({@code train}, {@code sample}, {@code tracking}) and the host keys of component
 * sections ({@code schedule.timesteps}, {@code sampler.steps}, {@code sampler.variance}), with
 * their defaults. Extensions' own keys come from their {@code options()}.
 */
final class HostSchema {

    private static final int MAX = Integer.MAX_VALUE;

    /** Top-level keys in the order a resolved spec is written. */
    static final List<String> TOP_LEVEL = List.of("name", "seed", "device", "model", "dataset", "schedule",
            "estimator", "train", "sampler", "guidance", "sample", "metrics", "tracking");

    /** The component sections, in spec order (metrics, a list of them, is separate). */
    static final List<ExtensionKind> COMPONENTS = List.of(ExtensionKind.MODEL, ExtensionKind.DATASET,
            ExtensionKind.SCHEDULE, ExtensionKind.ESTIMATOR, ExtensionKind.SAMPLER, ExtensionKind.GUIDANCE);

    /** The list section of metrics. */
    static final String METRICS = "metrics";

    /** {@code device}: auto, cpu, gpu or gpu:N. */
    static final String DEVICE_PATTERN = "auto|cpu|gpu|gpu:\\d+";

    /** {@code name}: it becomes part of a folder name. */
    static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";
    /** {@code name}: with the time stamp (16 characters) and a suffix, well within a file name's 255 bytes. */
    static final int MAX_NAME_LENGTH = 128;
    /** Images in one training or sampling batch: one array of them must stay addressable (DJL, NumPy). */
    static final int MAX_BATCH = 4096;
    /** Images generated for a run's evaluation, at most. */
    static final int MAX_SAMPLES = 100_000;

    static final List<Option> TRAIN = List.of(
            Option.integer("steps", 2000, 0, MAX, "training steps (0 = sample only, from a checkpoint)"),
            Option.integer("batch_size", 64, 1, MAX_BATCH, "images per training step"),
            Option.real("lr", 2.0e-4, 0, 1, "Adam learning rate"),
            Option.integer("warmup_steps", 100, 0, MAX, "steps of linear learning-rate warm-up"),
            Option.real("grad_clip", 1.0, 0, Double.MAX_VALUE, "gradient norm clip (0 = off)"),
            Option.real("ema_decay", 0.999, 0, 1, "decay of the exponential moving average of the weights"),
            Option.integer("log_every", 50, 1, MAX, "steps between metric logs"),
            Option.integer("checkpoint_every", 500, 1, MAX, "steps between checkpoints"),
            Option.integer("eval_every", 0, 0, MAX, "steps between evaluations during training: samples drawn "
                    + "with the EMA weights and scored by the spec's metrics (0 = only after training)"),
            Option.integer("eval_samples", 64, 1, MAX_SAMPLES, "images drawn for each evaluation during training"),
            Option.choice("schedule_sampler", ScheduleSampler.UNIFORM, ScheduleSampler.NAMES, "how a diffusion "
                    + "objective draws t: uniform, or importance-sampled by each t's loss second moment (Nichol & "
                    + "Dhariwal 2021, sec. 3.3)"));

    static final List<Option> SAMPLE = List.of(
            Option.integer("count", 64, 1, MAX_SAMPLES, "images to generate"),
            Option.integer("batch_size", 64, 1, MAX_BATCH, "images per sampling batch"),
            Option.intList("labels", List.of(), 0, MAX, "class labels to ask for, cycled over the samples "
                    + "(default: every class in turn)"),
            Option.stringList("prompts", List.of(), List.of(), "captions to ask for, cycled over the samples: a list, "
                    + "or a text file of one per line (default: the test split's captions)"),
            Option.choice("reference_images", "", List.of(), "reference images: a folder, or test:i,j,... "
                    + "(indices into the test split; a list of integers means the same)"));

    static final List<Option> TRACKING = List.of(
            Option.choice("uri", "", List.of(), "tracking server; \"\" = MLFLOW_TRACKING_URI, else ./mlruns"),
            Option.choice("experiment", "diffusion-lab", List.of(), "MLflow experiment name"));

    /** The host sections by name. */
    static final Map<String, List<Option>> HOST_SECTIONS = Map.of("train", TRAIN, "sample", SAMPLE, "tracking", TRACKING);

    /** Host keys of {@code schedule}. */
    static final Option TIMESTEPS = Option.integer("timesteps", 1000, 1, 100_000, "diffusion steps T");
    /**
     * Host key {@code sampler.steps}: a count N, {@code ddimN} or counts per section ({@code 10,15,20});
     * checked against T by {@link io.difflab.kit.sampling.SamplerSteps} after the section resolves
     * (a string type, so that all three forms pass the type check; the default is
     * {@code schedule.timesteps}, computed by the resolver). Without it, every timestep.
     */
    static final Option SAMPLER_STEPS = Option.choice("steps", "", List.of(),
            "sampling steps: a count N (spaced as the sampler's paper does: DDIM's stride for ddim and plms, Karras "
                    + "sigmas for euler and heun, uniform logSNR for dpm-solver++, else evenly), 'ddimN' (an integer "
                    + "stride from 0) or counts per section of the T timesteps like '10,15,20' (guided-diffusion's "
                    + "rules; default: all T)");
    static final Option VARIANCE = Option.choice("variance", "auto",
            List.of("auto", "fixed_small", "fixed_large", "learned"), "reverse-process variance");

    private HostSchema() { }

    /** The host keys of a component section. */
    static List<Option> hostKeys(ExtensionKind kind) {
        return switch (kind) {
            case SCHEDULE -> List.of(TIMESTEPS);
            case SAMPLER -> List.of(SAMPLER_STEPS, VARIANCE);
            default -> List.of();
        };
    }

    /**
     * The extension names used when neither the spec nor its model family names one
     * (model and dataset have none: the spec must say), as a spec tree.
     */
    static Map<String, Object> defaultNames() {
        Map<String, Object> tree = new LinkedHashMap<>();
        Map.of("schedule", "linear", "estimator", "unet", "sampler", "ancestral", "guidance", "none")
                .forEach((section, name) -> tree.put(section, new LinkedHashMap<>(Map.of("name", name))));
        return tree;
    }
}
