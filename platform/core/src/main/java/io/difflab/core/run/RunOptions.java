package io.difflab.core.run;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a validated spec.
 *
 * @param runDir   the run folder, already created, holding the resolved spec as {@code spec.yaml}
 * @param resume   whether to continue from the last checkpoint in {@code runDir}
 * @param specFile the spec file the user gave (for provenance), or {@code null}
 */
public record RunOptions(Path runDir, boolean resume, Path specFile) {

    public RunOptions {
        Objects.requireNonNull(runDir, "runDir");
    }
}
