package io.difflab.tracking;

import io.difflab.tracking.remote.SenderSettings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where runs go, as the host knows it: the spec's {@code tracking.uri} ({@code ""} when unset),
 * the local store folder, the process environment ({@code MLFLOW_TRACKING_URI} and the
 * credentials), the folder whose git commit is recorded, and the sender's pacing.
 *
 * @param uri        the spec's tracking URI, or {@code ""}
 * @param localStore the local store (also the server mode's journal), usually {@code ./mlruns}
 * @param env        the environment variables
 * @param workingDir the folder whose git commit tags the runs
 * @param sender     background sending and back-off
 */
public record TrackingSettings(String uri, Path localStore, Map<String, String> env, Path workingDir,
                               SenderSettings sender) {

    /**
     * Environment variable naming the local store instead of {@code ./mlruns}; a cluster sweep
     * points its cells at the journal it shares with them through it.
     */
    public static final String STORE_ENV = "DIFFLAB_MLRUNS";

    public TrackingSettings {
        uri = uri == null ? "" : uri.strip();
        env = Map.copyOf(env);
    }

    /** The spec's URI (may be {@code ""}) with the default store, this process's environment and folder. */
    public static TrackingSettings of(String specUri) {
        return new TrackingSettings(specUri, defaultStore(System.getenv()), System.getenv(), Path.of(""),
                SenderSettings.defaults());
    }

    /** The local store when the URI names none: {@value #STORE_ENV}, else {@code ./mlruns}. */
    public static Path defaultStore(Map<String, String> env) {
        String dir = env.getOrDefault(STORE_ENV, "").strip();
        return Path.of(dir.isEmpty() ? "mlruns" : dir);
    }

    /** The URI in force: the spec's, else {@code MLFLOW_TRACKING_URI}, else {@code ""} (local store). */
    public String effectiveUri() {
        if (!uri.isEmpty()) {
            return uri;
        }
        return env.getOrDefault("MLFLOW_TRACKING_URI", "").strip();
    }
}
