package io.difflab.cli.tracking;

import io.difflab.api.UserError;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.catalog.LocalCatalog;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.ServerCatalog;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.store.FileStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where runs are read from: {@code --store DIR} (default {@code ./mlruns}, or {@code DIFFLAB_MLRUNS}) or
 * {@code --uri URI}.
 * Two plain options checked here rather than a picocli ArgGroup: an ArgGroup inside a mixin is
 * listed twice in the help.
 */
public final class TrackingSource {

    @Option(names = "--store", paramLabel = "DIR", description = "local MLflow store (default: ./mlruns, or the DIFFLAB_MLRUNS environment variable)")
    Path store;

    @Option(names = "--uri", paramLabel = "URI", description = "MLflow tracking server (http or https); "
            + "credentials from MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN")
    String uri;

    /** Opens the chosen store. */
    public RunCatalog open(Map<String, String> env) {
        if (store != null && uri != null) {
            throw new UserError("give --store or --uri, not both", 2, null);
        }
        if (uri != null && TrackerFactory.isServer(uri)) {
            return new ServerCatalog(new MlflowServer(ServerCredentials.of(uri, env),
                    Redactor.fromEnvironment(env, uri)));
        }
        Path local = store;
        if (local == null && uri != null) {
            local = TrackerFactory.localStore(uri, TrackingSettings.defaultStore(env));
        }
        return new LocalCatalog(new FileStore(local == null ? TrackingSettings.defaultStore(env) : local));
    }
}
