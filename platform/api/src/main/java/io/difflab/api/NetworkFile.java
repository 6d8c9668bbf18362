package io.difflab.api;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one file that describes a trained network beside its checkpoints (its architecture, its
 * vocabulary), so that code outside the run that trained it (another plugin naming the run) can
 * rebuild the network and read its checkpoints.
 */
@FunctionalInterface
public interface NetworkFile {

    /** Writes the file's content to {@code file} (the host renames it into place). */
    void write(Path file) throws IOException;
}
