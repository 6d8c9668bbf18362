package io.difflab.tracking;

import io.difflab.api.UserError;
import io.difflab.api.tracking.Tracker;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.remote.ServerTracker;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalTracker;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses the tracker: an http(s) URI (the spec's {@code tracking.uri}, else
 * {@code MLFLOW_TRACKING_URI}) means a server, with the local store as its journal; a
 * {@code file:} URI or a folder means that local store; nothing means {@code ./mlruns}.
 */
public final class TrackerFactory {

    private final TrackingSettings settings;

    public TrackerFactory(TrackingSettings settings) {
        this.settings = settings;
    }

    /**
     * Builds the tracker; nothing is written or connected until the first run starts.
     *
     * @throws io.difflab.api.UserError when the URI is not supported or the local store (the journal,
     *                                  with a server) cannot be written
     */
    public Tracker create() {
        try {
            return build();
        } catch (UserError e) {
            // a spec's tracking.uri is a spec problem (exit code 2), named as such
            boolean fromSpec = !settings.uri().isEmpty();
            throw new UserError((fromSpec ? "tracking.uri: " : "MLFLOW_TRACKING_URI: ") + e.getMessage(),
                    fromSpec ? 2 : e.exitCode(), e);
        }
    }

    private Tracker build() {
        String uri = settings.effectiveUri();
        Redactor redactor = Redactor.fromEnvironment(settings.env(), uri);
        if (isServer(uri)) {
            ServerCredentials credentials = ServerCredentials.of(uri, settings.env());
            FileStore journalStore = new FileStore(settings.localStore());
            journalStore.checkWritable();
            MlflowServer server = new MlflowServer(credentials, redactor, settings.sender().requestTimeout());
            LocalTracker journal = new LocalTracker(journalStore, redactor, settings.workingDir());
            return new ServerTracker(journal, server, settings.sender());
        }
        FileStore store = new FileStore(localStore(uri, settings.localStore()));
        store.checkWritable();
        return new LocalTracker(store, redactor, settings.workingDir());
    }

    /** Whether {@code uri} names a tracking server. */
    public static boolean isServer(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * The local store a non-server URI names: {@code ""} the default folder, {@code file:} URIs
     * and plain paths that folder.
     *
     * @throws UserError for other schemes (databricks, sqlite, ...)
     */
    public static Path localStore(String uri, Path defaultStore) {
        if (uri.isEmpty()) {
            return defaultStore;
        }
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri.startsWith("file://") ? uri : "file://" + uri.substring(5)));
        }
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.\\-]+:.*") && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
            throw new UserError("tracking URI " + Redactor.withoutUserInfo(uri) + " is not supported: use an "
                    + "http(s):// server, a file: URI or a folder (empty: ./mlruns)");
        }
        return Path.of(uri);
    }
}
