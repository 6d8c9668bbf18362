package io.difflab.tracking.catalog;

import io.difflab.tracking.store.MetricPoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads runs back, from the local store or a server. */
public interface RunCatalog extends AutoCloseable {

    /** The runs of one experiment (every experiment when {@code experiment} is null), newest first. */
    List<RunSummary> runs(String experiment) throws IOException;

    /** One run by id (a unique prefix where the store can tell). */
    RunSummary run(String runId) throws IOException;

    /** Every point of one metric of a run, in logging order; empty when the run never logged it. */
    List<MetricPoint> history(String runId, String key) throws IOException;

    /**
     * Copies the artifact {@code path} (slash-separated, relative to the run's artifact root) of a
     * run to {@code target}.
     *
     * @return false when the run has no such artifact
     */
    boolean downloadArtifact(String runId, String path, Path target) throws IOException;

    /** Adds every file under {@code folder} to a run's artifacts, under {@code artifactPath} ("" for the root). */
    void logArtifacts(String runId, Path folder, String artifactPath) throws IOException;

    /** What is being read, for messages. */
    String location();

    /** Entries passed over because they are damaged, as "folder: reason" (a local store's cut meta.yaml). */
    default List<String> damaged() {
        return List.of();
    }

    @Override
    default void close() {
    }
}
