package io.difflab.tracking.catalog;

import java.io.IOException;
import java.util.List;

/** Reads runs back, from the local store or a server. */
public interface RunCatalog extends AutoCloseable {

    /** The runs of one experiment (every experiment when {@code experiment} is null), newest first. */
    List<RunSummary> runs(String experiment) throws IOException;

    /** One run by id (a unique prefix where the store can tell). */
    RunSummary run(String runId) throws IOException;

    /** What is being read, for messages. */
    String location();

    @Override
    default void close() {
    }
}
