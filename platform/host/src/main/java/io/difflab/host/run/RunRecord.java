package io.difflab.host.run;

import io.difflab.api.RunContext;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.spec.ExperimentSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which tracked run a run folder belongs to ({@code tracking-run-id} in the folder), so that
 * {@code --resume} continues the same MLflow run instead of starting a second one.
 */
public final class RunRecord {

    /** The file in a run folder naming its tracked run. */
    public static final String FILE = "tracking-run-id";

    private RunRecord() {
    }

    /** The tracked run recorded in {@code runDir}, if any. */
    public static java.util.Optional<String> idOf(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static void logSpec(TrackedRun run, Path runDir) {
        Path specYaml = runDir.resolve(RunFolders.SPEC_FILE);
        if (Files.exists(specYaml)) {
            run.logArtifact(specYaml, "");
        }
    }

    /**
     * Starts the run (params: the flattened resolved spec; tags: provenance), or resumes the recorded
     * one: then {@code options.tags()} (e.g. the {@link FinishedRun#PARAM_TAG_PREFIX} tags of keys the
     * resumed spec changed) are set, the run folder's {@code spec.yaml} replaces the artifact, and the
     * steps the resumed training repeats are not recorded again ({@link OncePerStepRun}).
     */
    static TrackedRun open(Tracker tracker, ExperimentSpec spec, RunOptions options, RunContext context,
                           Map<String, String> provenance) {
        Path file = options.runDir().resolve(FILE);
        try {
            if (options.resume() && Files.exists(file)) {
                TrackedRun run = tracker.resumeRun(Files.readString(file, StandardCharsets.UTF_8).trim());
                Map<String, String> tags = new LinkedHashMap<>(provenance);
                tags.putAll(options.tags());
                run.setTags(tags);
                logSpec(run, options.runDir());
                return OncePerStepRun.of(run);
            }
            Map<String, String> tags = new LinkedHashMap<>(provenance);
            tags.put("mlflow.source.name", options.specFile() == null ? "difflab" : options.specFile().toString());
            tags.put("mlflow.source.type", "LOCAL");
            tags.putAll(options.tags());
            TrackedRun run = tracker.startRun(spec.tracking().experiment(), context.name(), options.parentRunId(),
                    tags);
            run.logParams(spec.flatten());
            Files.writeString(file, run.id() + "\n", StandardCharsets.UTF_8);
            logSpec(run, options.runDir());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the tracking run in " + file, e);
        }
    }
}
