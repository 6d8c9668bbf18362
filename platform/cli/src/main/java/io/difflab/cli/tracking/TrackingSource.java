package io.difflab.cli.tracking;

import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.catalog.LocalCatalog;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.ServerCatalog;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.store.FileStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where runs are read from: {@code --store DIR} (default {@code ./mlruns}, or {@code DIFFLAB_MLRUNS}) or
 * {@code --uri URI}.
 */
public final class TrackingSource {

    @ArgGroup(exclusive = true)
    Choice choice = new Choice();

    /** One of the two options. */
    static final class Choice {
        @Option(names = "--store", paramLabel = "DIR",
                description = "local MLflow store (default: ./mlruns, or the DIFFLAB_MLRUNS environment variable)")
        Path store;

        @Option(names = "--uri", paramLabel = "URI", description = "MLflow tracking server (http or https); "
                + "credentials from MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN")
        String uri;
    }

    /** Opens the chosen store. */
    public RunCatalog open(Map<String, String> env) {
        if (choice != null && choice.uri != null && TrackerFactory.isServer(choice.uri)) {
            return new ServerCatalog(new MlflowServer(ServerCredentials.of(choice.uri, env),
                    Redactor.fromEnvironment(env, choice.uri)));
        }
        Path store = choice == null ? null : choice.store;
        if (store == null && choice != null && choice.uri != null) {
            store = TrackerFactory.localStore(choice.uri, TrackingSettings.defaultStore(env));
        }
        return new LocalCatalog(new FileStore(store == null ? TrackingSettings.defaultStore(env) : store));
    }
}
