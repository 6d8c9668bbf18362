package io.difflab.tracking.remote;

import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.StaleRuns;
import io.difflab.tracking.store.StoredRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code difflab sync}: sends every run of a local store to a server, idempotently (what the
 * server acknowledged before is not sent again). Runs that dead processes left RUNNING are
 * first marked KILLED; runs another process is sending right now are skipped.
 */
public final class StoreSync {

    private final RunReplicator replicator;

    public StoreSync(FileStore store, MlflowServer server) {
        this.replicator = new RunReplicator(store, server);
    }

    /**
     * Sends the runs, oldest first, reporting each outcome to {@code progress}; stops at the first
     * failure of the server itself.
     *
     * @throws TrackingServerException when the server fails
     */
    public List<SyncOutcome> syncAll(Consumer<SyncOutcome> progress) throws IOException {
        FileStore store = replicator.store();
        List<SyncOutcome> outcomes = new ArrayList<>();
        if (!store.exists()) {
            return outcomes;
        }
        StaleRuns.markKilled(store);
        List<StoredRun> runs = new ArrayList<>(store.allRuns());
        runs.sort(Comparator.comparingLong(r -> r.meta().startTime()));
        for (StoredRun run : runs) {
            SyncOutcome outcome = replicator.sync(run.id());
            outcomes.add(outcome);
            progress.accept(outcome);
        }
        return outcomes;
    }
}
