package io.difflab.host.run;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a validated spec.
 *
 * @param runDir      the run folder, already created, holding the resolved spec as {@code spec.yaml}
 * @param resume      whether to continue from the last checkpoint in {@code runDir}
 * @param specFile    the spec file the user gave (for provenance), or {@code null}
 * @param parentRunId the tracked run this one is a child of (a sweep), or {@code null}
 * @param tags        tags to set on the tracked run when it starts (a sweep cell's id and values)
 * @param trainedFrom a run folder holding a finished training of the same {@link TrainingKey}: its final
 *                    checkpoints are linked into {@code runDir} and the run starts from them (no training
 *                    step when they are final: it only samples and evaluates), or {@code null}
 */
public record RunOptions(Path runDir, boolean resume, Path specFile, String parentRunId, Map<String, String> tags,
                         Path trainedFrom) {

    public RunOptions {
        Objects.requireNonNull(runDir, "runDir");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
    }

    /** A run of its own: no parent, no extra tags, trained in its own folder. */
    public RunOptions(Path runDir, boolean resume, Path specFile) {
        this(runDir, resume, specFile, null, Map.of(), null);
    }

    /** Whether training continues from checkpoints already in (or linked into) the run folder. */
    boolean continuesTraining() {
        return resume || trainedFrom != null;
    }
}
