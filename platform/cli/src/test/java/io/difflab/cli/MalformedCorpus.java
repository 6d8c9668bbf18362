package io.difflab.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed inputs a user can give difflab: specs (broken YAML, wrong types, values out of range,
 * settings that cannot work together, binary files, other encodings, huge values, escape codes),
 * {@code --set} overrides, and sweep files. Each names what its message must contain: the key path,
 * or the line and column of a syntax error. {@link MalformedInputCorpusIT} runs them all.
 *
 * <p>Cases marked {@link Case#needsAssembly()} are caught only once {@code validate} runs the model
 * family's assembly (its checks of guidance and variance requirements); switch them on with
 * {@link #ASSEMBLY_IN_VALIDATION}.
 */
final class MalformedCorpus {

    /** Whether validation assembles the model family (guidance and variance requirements): switch on when it does. */
    static final boolean ASSEMBLY_IN_VALIDATION = true;

    /** A valid tiny spec the cases break. */
    static final String BASE = """
            name: corpus
            seed: 1
            device: cpu
            model: {name: ddpm}
            dataset: {name: fashion-mnist, limit: 64}
            schedule: {name: linear, timesteps: 100}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1, attention_resolutions: [14], num_heads: 2, dropout: 0.0}
            train: {steps: 2, batch_size: 4, log_every: 1, checkpoint_every: 2}
            sampler: {name: ancestral, steps: 5}
            sample: {count: 2, batch_size: 2}
            metrics: []
            """;

    /** {@link #BASE} as guided diffusion, its estimator's attention heads fitting the tiny U-Net. */
    static final String GD_BASE = BASE.replace("model: {name: ddpm}", "model: {name: gd}")
            .replace("num_heads: 2,", "num_head_channels: 4,");

    /** The kind of input a case is. */
    enum Kind { SPEC, SWEEP }

    /**
     * One malformed input.
     *
     * @param id            a name for the case (its folder)
     * @param kind          a spec (validate / run) or a sweep file (sweep --dry-run / sweep)
     * @param content       the file's bytes (a sweep's base is {@link #BASE} as {@code base.yaml} beside it)
     * @param sets          {@code --set} overrides
     * @param expect        what the message must contain: a key path, or a line and column
     * @param needsAssembly caught only by the model family's assembly at validation
     */
    record Case(String id, Kind kind, byte[] content, List<String> sets, String expect, boolean needsAssembly) {
        @Override
        public String toString() {
            return id;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private MalformedCorpus() {
    }

    private void spec(String id, String yaml, String expect) {
        cases.add(new Case(id, Kind.SPEC, yaml.getBytes(StandardCharsets.UTF_8), List.of(), expect, false));
    }

    private void bytes(String id, byte[] content, String expect) {
        cases.add(new Case(id, Kind.SPEC, content, List.of(), expect, false));
    }

    /** {@link #BASE} with the top-level entry {@code line} replacing the base's of that key, or added. */
    private void with(String id, String line, String expect) {
        String key = line.substring(0, line.indexOf(':'));
        spec(id, BASE.contains("\n" + key + ":") ? replace(key, line.substring(key.length() + 1).strip())
                : BASE + line + "\n", expect);
    }

    private void set(String id, String expect, String... sets) {
        cases.add(new Case(id, Kind.SPEC, BASE.getBytes(StandardCharsets.UTF_8), List.of(sets), expect, false));
    }

    private void assembly(String id, String expect, String... sets) {
        cases.add(new Case(id, Kind.SPEC, BASE.getBytes(StandardCharsets.UTF_8), List.of(sets), expect, true));
    }

    private void sweep(String id, String yaml, String expect) {
        cases.add(new Case(id, Kind.SWEEP, yaml.getBytes(StandardCharsets.UTF_8), List.of(), expect, false));
    }

    private static String replace(String key, String value) {
        return BASE.replaceFirst("(?m)^" + key + ":.*$", java.util.regex.Matcher.quoteReplacement(key + ": " + value));
    }

    static List<Case> cases() {
        MalformedCorpus c = new MalformedCorpus();
        c.yaml();
        c.files();
        c.topLevel();
        c.sections();
        c.networks();
        c.overrides();
        c.sweeps();
        return List.copyOf(c.cases);
    }

    private void yaml() {
        spec("tab-indent", "model:\n\tname: ddpm\n", "line 2, column 1");
        spec("unclosed-flow", "model: {name: ddpm\ndataset: fashion-mnist\n", "line 2, column 8");
        spec("unclosed-quote", "model: ddpm\nname: \"open\ndataset: x\n", "line 4, column 1");
        spec("duplicate-key", BASE + "seed: 2\n", "line 12, column 1");
        spec("bad-indent", "model:\n  name: ddpm\n dataset: x\n", "line 3, column 2");
        spec("empty-key", BASE + ": value\n", "line 12, column 1");
        spec("java-tag", "model: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL "
                + "[\"http://x\"]]]]\n", "line 1, column 8");
        spec("unknown-tag", BASE.replace("seed: 1", "seed: !custom 3"), "line 2, column 7");
        spec("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n", "line 7, column");
        spec("escape-raw", "model: ddpm\ndataset: fashion-mnist\nname: \"\u001b[31mred\"\n", "line 3, column 8");
        spec("bell-char", BASE.replace("name: corpus", "name: a\u0007b"), "line 1, column 8");
        spec("deep-nesting", "model: " + "[".repeat(200) + "]".repeat(200) + "\n", "line 1, column");
        spec("mapping-in-scalar", "model: ddpm: x\n", "line 1, column 12");
        spec("stray-document", BASE + "---\nseed: 3\n", "line 12, column 1");
        spec("block-in-flow", "model: {name: ddpm, - x}\n", "line 1, column 21");
    }

    private void files() {
        byte[] noise = new byte[4096];
        new Random(13).nextBytes(noise);
        bytes("binary-4k", noise, "line 1, column");
        bytes("latin1", "model: ddpm\ndataset: fashion-mnist\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
                "line 3, column 10");
        bytes("utf16", "model: ddpm\n".getBytes(StandardCharsets.UTF_16), "line 1, column 1");
        bytes("nul-byte", (BASE + "\0\n").getBytes(StandardCharsets.UTF_8), "at line 12");
        bytes("truncated-utf8", new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE2, (byte) 0x82}, "line 1, column 7");
        spec("huge-scalar", "x".repeat(1_000_000) + "\n", "at the top");
        spec("top-list", "- model: ddpm\n- dataset: fashion-mnist\n", "at the top");
        spec("top-number", "42\n", "at the top");
        spec("empty-file", "", "model");
        spec("comments-only", "# nothing here\n# at all\n", "model");
        spec("passwd-like", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", "at the top");
    }

    private void topLevel() {
        with("unknown-top-key", "seeed: 3", "seeed: unknown key");
        spec("name-spaces", replace("name", "my run"), "name: must be");
        spec("name-300", replace("name", "n".repeat(300)), "name: must be at most 128");
        spec("name-escape", replace("name", "\"\\e[2J\\e[31mx\""), "name: must be");
        spec("name-traversal", replace("name", "../../etc"), "name: must be");
        spec("name-dot", replace("name", ".hidden"), "name: must be");
        spec("name-number", replace("name", "123"), "name: expected a string");
        spec("name-list", replace("name", "[a, b]"), "name: expected a string");
        spec("seed-text", replace("seed", "abc"), "seed: expected an integer");
        spec("seed-real", replace("seed", "1.5"), "seed: expected an integer");
        spec("seed-huge", replace("seed", "99999999999999999999999"), "seed: expected an integer");
        spec("seed-date", replace("seed", "2001-12-14"), "seed: expected an integer, got a date");
        spec("seed-binary", replace("seed", "!!binary aGVsbG8="), "seed: expected an integer, got binary data");
        spec("device-tpu", replace("device", "tpu"), "device: must be auto, cpu, gpu or gpu:N");
        spec("device-gpu-absent", replace("device", "gpu"), "device: gpu needs a CUDA build of PyTorch");
        spec("device-gpu-index", replace("device", "\"gpu:99\""), "device: gpu:99 needs a CUDA build of PyTorch");
        spec("model-missing", BASE.replace("model: {name: ddpm}\n", ""), "model: missing required section");
        spec("dataset-missing", BASE.replace("dataset: {name: fashion-mnist, limit: 64}\n", ""), "dataset: missing");
        spec("model-unknown", replace("model", "{name: ddmp}"), "model.name:");
        spec("model-list", replace("model", "[ddpm]"), "model: expected a section");
        spec("model-no-name", replace("model", "{}"), "model.name: missing required key");
        spec("model-name-number", replace("model", "{name: 5}"), "model.name: expected the name");
    }

    private void sections() {
        with("dataset-limit-negative", "dataset: {name: fashion-mnist, limit: -1}", "dataset.limit: must be at least 0");
        with("dataset-limit-text", "dataset: {name: fashion-mnist, limit: many}", "dataset.limit: expected an integer");
        with("dataset-unknown-key", "dataset: {name: fashion-mnist, limt: 5}", "dataset.limt: unknown key");
        with("dataset-unknown", "dataset: {name: mnist-fashion}", "dataset.name:");
        with("schedule-unknown", "schedule: {name: quadratic}", "schedule.name:");
        with("timesteps-zero", "schedule: {name: linear, timesteps: 0}", "schedule.timesteps: must be at least 1");
        with("timesteps-huge", "schedule: {name: linear, timesteps: 10000000}", "schedule.timesteps: must be at most");
        with("beta-reversed", "schedule: {name: linear, timesteps: 100, beta_start: 0.02, beta_end: 0.0001}",
                "schedule.beta_start: must be at most schedule.beta_end");
        with("beta-end-range", "schedule: {name: linear, timesteps: 100, beta_end: 2}", "schedule.beta_end: must be at most 1");
        with("beta-scaled-too-big", "schedule: {name: linear, timesteps: 10}", "schedule.beta_end: with timesteps 10");
        with("cosine-max-beta", "schedule: {name: cosine, timesteps: 100, max_beta: 0}", "schedule.max_beta: must be above 0");
        with("train-steps-negative", "train: {steps: -1}", "train.steps: must be at least 0");
        with("train-steps-real", "train: {steps: 1e9}", "train.steps: expected an integer");
        with("train-steps-bool", "train: {steps: true}", "train.steps: expected an integer");
        with("batch-zero", "train: {batch_size: 0}", "train.batch_size: must be at least 1");
        with("batch-huge", "train: {batch_size: 1000000000}", "train.batch_size: must be at most 4096");
        with("lr-negative", "train: {lr: -1}", "train.lr: must be at least 0");
        with("lr-text", "train: {lr: fast}", "train.lr: expected a number");
        with("lr-nan", "train: {lr: .nan}", "train.lr: expected a number");
        with("lr-inf", "train: {lr: .inf}", "train.lr: expected a number");
        with("ema-above-one", "train: {ema_decay: 2}", "train.ema_decay: must be at most 1");
        with("log-every-zero", "train: {log_every: 0}", "train.log_every: must be at least 1");
        with("checkpoint-every-zero", "train: {checkpoint_every: 0}", "train.checkpoint_every: must be at least 1");
        with("eval-samples-huge", "train: {eval_samples: 10000000}", "train.eval_samples: must be at most");
        with("train-list", "train: [1, 2]", "train: expected a section");
        with("train-unknown-key", "train: {stpes: 3}", "train.stpes: unknown key");
        with("sampler-steps-above-t", "sampler: {name: ancestral, steps: 500}", "sampler.steps: cannot take 500 steps of");
        with("sampler-steps-zero", "sampler: {name: ancestral, steps: 0}", "sampler.steps: cannot take 0 steps of");
        with("sampler-variance-typo", "sampler: {name: ancestral, variance: learnt}", "sampler.variance: must be one of");
        with("sampler-unknown", "sampler: {name: euler-maruyama}", "sampler.name:");
        with("guidance-unknown", "guidance: {name: clip-guidance-typo}", "guidance.name:");
        with("guidance-none-scale", "guidance: {name: none, scale: 3}", "guidance.scale: unknown key");
        with("sample-count-zero", "sample: {count: 0}", "sample.count: must be at least 1");
        with("sample-count-huge", "sample: {count: 100000000}", "sample.count: must be at most");
        with("sample-batch-zero", "sample: {batch_size: 0}", "sample.batch_size: must be at least 1");
        with("metrics-string", "metrics: fd", "metrics: expected a list");
        with("metrics-map", "metrics: {name: fd}", "metrics: expected a list");
        with("metrics-unknown", "metrics: [{name: fid}]", "metrics[0].name:");
        with("metrics-empty-entry", "metrics: [{}]", "metrics[0].name: missing required key");
        with("metrics-number", "metrics: [42]", "metrics[0]: expected a section");
        with("tracking-scheme", "tracking: {uri: \"ftp://example.org/x\"}", "tracking.uri:");
        with("tracking-sqlite", "tracking: {uri: \"sqlite:///mlflow.db\"}", "tracking.uri:");
        with("tracking-under-a-file", "tracking: {uri: \"/etc/passwd/mlruns\"}", "tracking.uri:");
        with("tracking-experiment-empty", "tracking: {experiment: \"\"}", "tracking.experiment: must not be empty");
        with("tracking-unknown-key", "tracking: {url: x}", "tracking.url: unknown key");
    }

    private void networks() {
        with("channel-mult-empty", "estimator: {name: unet, channel_mult: []}", "estimator.channel_mult: must be a non-empty list");
        with("channel-mult-zero", "estimator: {name: unet, channel_mult: [0]}", "estimator.channel_mult[0]: must be at least 1");
        with("channel-mult-text", "estimator: {name: unet, channel_mult: \"1,2\"}", "estimator.channel_mult: expected a list");
        with("base-channels-zero", "estimator: {name: unet, base_channels: 0}", "estimator.base_channels: must be at least 1");
        with("base-channels-huge", "estimator: {name: unet, base_channels: 100000}", "estimator.base_channels: must be at most");
        with("heads-do-not-divide", "estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], "
                + "attention_resolutions: [14], num_heads: 3}", "estimator.num_heads: 3 does not divide");
        with("head-channels-do-not-divide", "estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], "
                + "attention_resolutions: [14], num_head_channels: 32}", "estimator.num_head_channels: 32 does not divide");
        with("attention-no-level", "estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], "
                + "attention_resolutions: [5]}", "estimator.attention_resolutions: 5 matches no level");
        with("dropout-above-one", "estimator: {name: unet, dropout: 1.5}", "estimator.dropout: must be at most");
        with("norm-groups-zero", "estimator: {name: unet, norm_groups: 0}", "estimator.norm_groups: must be at least 1");
        with("estimator-unknown", "estimator: {name: transformer-xl}", "estimator.name:");
        with("estimator-typo-key", "estimator: {name: unet, base_chanels: 8}", "estimator.base_chanels: unknown key");
        spec("gd-classifier-heads", GD_BASE.replace("model: {name: gd}", "model: {name: gd, classifier_channels: 8, "
                + "classifier_channel_mult: [1, 2], classifier_attention_resolutions: [14], classifier_head_channels: 32}"),
                "model.classifier_head_channels: 32 does not divide");
        spec("gd-classifier-attention", GD_BASE.replace("model: {name: gd}", "model: {name: gd, classifier_channels: 8, "
                + "classifier_channel_mult: [1, 2], classifier_attention_resolutions: [3]}"),
                "model.classifier_attention_resolutions: 3 matches no level");
    }

    private void overrides() {
        set("set-no-equals", "--set train.steps: expected key=value", "train.steps");
        set("set-empty-key", "the key is empty", "=5");
        set("set-double-dot", "is not a key path", "train..steps=1");
        set("set-index-too-far", "metrics[5].name: --set", "metrics[5].name=fd");
        set("set-bad-yaml", "line 1, column", "train.steps=[1");
        set("set-seed-text", "seed: expected an integer", "seed=abc");
        set("set-not-a-section", "'train.steps' is not a section", "train.steps.x=1");
        set("set-beta-start", "schedule.beta_start: must be at most schedule.beta_end", "schedule.beta_start=0.5");
        set("set-channel-mult-empty", "estimator.channel_mult: must be a non-empty list", "estimator.channel_mult=[]");
        set("set-batch-real", "train.batch_size: expected an integer", "train.batch_size=1e9");
        set("set-batch-huge", "train.batch_size: must be at most 4096", "train.batch_size=1000000000");
        set("set-limit-negative", "dataset.limit: must be at least 0", "dataset.limit=-5");
        set("set-metrics-scalar", "metrics: expected a list", "metrics=notalist");
        set("set-escape-name", "name: --set name=\\u001B[2J", "name=\u001b[2J\u001b[31mred");
        set("set-huge-value", "name: must be", "name=" + "v".repeat(100_000) + "!");
        set("set-model-gd-small-estimator", "estimator.num_head_channels: 32 does not divide the 16 channels",
                "model.name=gd");
        set("set-unknown-section", "modle: unknown key", "modle.name=ddpm");
        set("set-device", "device: must be", "device=cuda:0");
        set("set-sampler-steps", "sampler.steps: cannot take 101 steps of", "sampler.steps=101");
        set("set-tracking-uri", "tracking.uri:", "tracking.uri=databricks://profile");
        assembly("ddpm-with-classifier-guidance", "guidance.name: guidance 'classifier' needs a trained network", "guidance.name=classifier");
        assembly("ddpm-with-learned-variance", "sampler.variance: 'learned' needs an estimator", "sampler.variance=learned");
    }

    private void sweeps() {
        sweep("sweep-base-passwd", "name: s\nbase: /etc/passwd\naxes: {seed: [1, 2]}\n", "at the top");
        sweep("sweep-base-missing", "name: s\nbase: nowhere.yaml\naxes: {seed: [1, 2]}\n", "no spec file");
        sweep("sweep-base-folder", "name: s\nbase: .\naxes: {seed: [1, 2]}\n", "base: no spec file");
        sweep("sweep-syntax", "name: s\nbase: base.yaml\naxes: {seed: [1, 2]\n", "line 4, column 1");
        sweep("sweep-not-a-map", "- base.yaml\n", "expected key: value pairs at the top");
        sweep("sweep-unknown-key", "name: s\nbase: base.yaml\naxis: {seed: [1, 2]}\n", "axis: unknown key");
        sweep("sweep-axis-not-list", "name: s\nbase: base.yaml\naxes: {train.steps: 5}\n", "axes.train.steps");
        sweep("sweep-axis-bad-key", "name: s\nbase: base.yaml\naxes: {train.stpes: [1, 2]}\n", "train.stpes: unknown key");
        sweep("sweep-axis-bad-values", "name: s\nbase: base.yaml\naxes: {train.steps: [-1, 2]}\n",
                "train.steps: must be at least 0");
        sweep("sweep-seeds-text", "name: s\nbase: base.yaml\nseeds: lots\n", "seeds");
        sweep("sweep-zip-lengths", "name: s\nbase: base.yaml\nzip: [{sampler.steps: [5, 10], seed: [1]}]\n", "zip");
        sweep("sweep-name-slash", "name: a/b\nbase: base.yaml\naxes: {seed: [1, 2]}\n", "name: must be");
        sweep("sweep-skip-everything", "name: s\nbase: base.yaml\naxes: {seed: [1, 2]}\nskip: [{seed: [1, 2]}]\n",
                "skip: every cell is skipped");
        sweep("sweep-beta-reversed", "name: s\nbase: base.yaml\nset: {schedule.beta_start: 0.5}\naxes: {seed: [1, 2]}\n",
                "schedule.beta_start: must be at most schedule.beta_end");
        sweep("sweep-channel-mult", "name: s\nbase: base.yaml\naxes: {estimator.channel_mult: [[1, 2], []]}\n",
                "estimator.channel_mult: must be a non-empty list");
        sweep("sweep-variants-list", "name: s\nbase: base.yaml\nvariants: [a, b]\n", "variants");
        sweep("sweep-binary-base", "name: s\nbase: /bin/sh\naxes: {seed: [1, 2]}\n", "is not UTF-8 text");
    }
}
