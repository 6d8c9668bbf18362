package io.difflab.host.run;

import io.difflab.api.UserError;
import io.difflab.host.spec.ExperimentSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a run may be resumed with a changed spec: only keys that do not change the training
 * trajectory may differ (more training steps, logging and checkpoint intervals, sampling,
 * guidance, metrics, tracking, device, and the model keys its family names as sampling options).
 * Anything else would silently mix two experiments.
 */
public final class ResumeCheck {

    /** Keys (or section prefixes) that define the training trajectory. */
    static final List<String> FIXED = List.of("seed", "model.", "dataset.", "schedule.", "estimator.",
            "train.batch_size", "train.lr", "train.warmup_steps", "train.grad_clip", "train.ema_decay");

    private ResumeCheck() { }

    /** @throws UserError naming every key that differs from the run being resumed */
    public static void requireCompatible(ExperimentSpec before, ExperimentSpec now, Path runDir) {
        requireCompatible(before, now, runDir, Set.of());
    }

    /**
     * As above, for a model family whose {@code samplingOptions} (keys of the model section) only
     * generation reads, so they may differ too.
     *
     * @throws UserError naming every key that differs from the run being resumed
     */
    public static void requireCompatible(ExperimentSpec before, ExperimentSpec now, Path runDir,
                                         Set<String> samplingOptions) {
        Map<String, String> a = before.flatten();
        Map<String, String> b = now.flatten();
        List<String> changed = new ArrayList<>();
        for (String key : new TreeSet<>(union(a, b))) {
            if (key.startsWith("model.") && samplingOptions.contains(key.substring("model.".length()))) {
                continue;
            }
            if (FIXED.stream().anyMatch(f -> f.endsWith(".") ? key.startsWith(f) : key.equals(f))
                    && !Objects.equals(a.get(key), b.get(key))) {
                changed.add(key + ": " + a.getOrDefault(key, "(unset)") + " -> " + b.getOrDefault(key, "(unset)"));
            }
        }
        if (!changed.isEmpty()) {
            throw new UserError("cannot resume " + runDir + " with this spec: it changes how the model is trained\n  "
                    + String.join("\n  ", changed) + "\nstart a new run instead (without --resume)");
        }
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
