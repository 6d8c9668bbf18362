package io.difflab.host.run;

import io.difflab.api.ExtensionRegistry;
import io.difflab.host.spec.ExperimentSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What {@code --resume} finds in a run folder: a run that already finished the training a spec asks
 * for (its {@code results.properties}, written last, is newer than the {@link TrainedModel} marker of
 * that very training) has nothing left to continue (with other sampling settings, a new run starts
 * from its training), and the keys a resumed spec changes are recorded on the tracked run as
 * {@value #PARAM_TAG_PREFIX}{@code <key>} tags: MLflow params never change.
 */
public final class FinishedRun {

    /** Tags holding a param's value after a resume changed it (MLflow params are immutable). */
    public static final String PARAM_TAG_PREFIX = "difflab.param.";

    private FinishedRun() {
    }

    /**
     * Whether the run in {@code runDir} finished the training {@code spec} describes (its key as
     * {@code registry}'s model family draws it), and sampled and evaluated after it.
     */
    public static boolean isFinished(Path runDir, ExperimentSpec spec, ExtensionRegistry registry) {
        Path results = new RunArtifacts(runDir).results();
        Path trained = runDir.resolve(TrainedModel.FILE);
        if (!Files.isRegularFile(results) || !TrainedModel.keyOf(runDir).filter(TrainingKey.of(spec, registry)::equals).isPresent()) {
            return false;
        }
        try {
            return Files.getLastModifiedTime(results).compareTo(Files.getLastModifiedTime(trained)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The keys whose value {@code now} changes, with their new values ("null" when removed), sorted. */
    public static Map<String, String> changes(ExperimentSpec before, ExperimentSpec now) {
        Map<String, String> a = before.flatten();
        Map<String, String> b = now.flatten();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        Map<String, String> changed = new LinkedHashMap<>();
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                changed.put(k, String.valueOf(b.get(k)));
            }
        }
        return changed;
    }

    /** The tags recording {@code changes} on the tracked run. */
    public static Map<String, String> paramTags(Map<String, String> changes) {
        Map<String, String> tags = new LinkedHashMap<>();
        changes.forEach((k, v) -> tags.put(PARAM_TAG_PREFIX + k, v));
        return tags;
    }
}
