package io.difflab.cli;

import io.difflab.api.tracking.RunStatus;
import io.difflab.host.run.RunArtifacts;
import io.difflab.host.run.RunRecord;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.RunReplicator;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.StoredRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether an earlier attempt of a cell already finished it: its results are written and its run
 * ended FINISHED in the local store (with a server: the journal). A cluster retries a task whose
 * executor was lost after the cell ended but before the driver heard of it; that retry must not
 * run the cell a second time. With a server, it sends what the journal holds and the server lacks.
 */
final class EarlierAttempt {

    private EarlierAttempt() {
    }

    /** Whether the cell in {@code runDir}, resolved as {@code spec}, finished in an earlier attempt. */
    static boolean finished(Path runDir, ExperimentSpec spec, PrintStream log) {
        return finished(runDir, TrackingSettings.of(spec.tracking().uri()), log);
    }

    /** As above, with the cell's tracking settings. */
    static boolean finished(Path runDir, TrackingSettings settings, PrintStream log) {
        Optional<String> runId = RunRecord.idOf(runDir);
        if (runId.isEmpty() || !Files.isRegularFile(runDir.resolve(RunArtifacts.RESULTS))) {
            return false;
        }
        String uri = settings.effectiveUri();
        boolean server = TrackerFactory.isServer(uri);
        FileStore store = new FileStore(server ? settings.localStore() : TrackerFactory.localStore(uri,
                settings.localStore()));
        try {
            Optional<StoredRun> run = store.run(runId.get());
            if (run.isEmpty() || run.get().meta().status() != RunStatus.FINISHED) {
                return false;
            }
            if (server) {
                try (MlflowServer mlflow = new MlflowServer(ServerCredentials.of(uri, settings.env()),
                        Redactor.fromEnvironment(settings.env(), uri))) {
                    new RunReplicator(store, mlflow).sync(runId.get());
                } catch (IOException | RuntimeException e) {
                    log.println("difflab cell: run " + runId.get() + " is not complete on " + uri + " yet ("
                            + e.getMessage() + "): `difflab sync --store " + store.root() + " --to " + uri
                            + "` sends the rest");
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
