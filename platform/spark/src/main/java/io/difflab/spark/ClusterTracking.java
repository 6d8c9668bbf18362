package io.difflab.spark;

import io.difflab.api.UserError;
import io.difflab.host.run.TrackerSource;
import io.difflab.host.sweep.SweepSpec;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.SenderSettings;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.remote.TrackingServerException;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a cluster sweep's runs go. Cells on other machines can only reach an MLflow server, so a
 * master that is not {@code local[N]} requires one, answering before anything starts. With a
 * server, the events of the parent run and of every cell are journaled first in
 * {@code <runs>/<sweep>/mlruns}, a store on the shared runs folder: a cell retried on another
 * machine continues its run there, and whatever a lost machine had not sent is sent by the retry
 * (or by {@code difflab sync --store <runs>/<sweep>/mlruns}). Without one, the cells of a local
 * master share the driver's local store, as with {@code --parallel}.
 *
 * @param uri    the tracking URI in force ({@code tracking.uri}, else {@code MLFLOW_TRACKING_URI}; {@code ""}: local)
 * @param server whether it names a server
 * @param store  the journal (server) or the local store, absolute
 * @param env    the environment credentials come from
 */
public record ClusterTracking(String uri, boolean server, Path store, Map<String, String> env) {

    /** The journal of a sweep's runs, under its folder in the runs folder. */
    public static final String JOURNAL = "mlruns";

    /**
     * @throws UserError when a multi-machine master has no server, or the server does not answer
     */
    public static ClusterTracking of(SweepSpec sweep, SparkMaster master, Path runsDir, Map<String, String> env) {
        TrackingSettings settings = new TrackingSettings(sweep.trackingUri(), TrackingSettings.defaultStore(env), env,
                Path.of(""), SenderSettings.defaults());
        String uri = settings.effectiveUri();
        if (!TrackerFactory.isServer(uri)) {
            if (!master.local()) {
                throw new UserError("--master " + master.url() + " runs cells on other machines, which record their "
                        + "runs on an MLflow tracking server only: set MLFLOW_TRACKING_URI=http://<host>:5000 (or "
                        + "tracking.uri in the sweep's set); a local store works with --master local[N]");
            }
            Path store = TrackerFactory.localStore(uri, settings.localStore()).toAbsolutePath().normalize();
            return new ClusterTracking(uri, false, store, env);
        }
        try (MlflowServer server = new MlflowServer(ServerCredentials.of(uri, env),
                Redactor.fromEnvironment(env, uri))) {
            server.experimentId(sweep.experiment());
        } catch (TrackingServerException e) {
            throw new UserError("the MLflow tracking server does not answer (" + e.getMessage() + "): the sweep's "
                    + "cells record their runs there, so nothing was started", e);
        }
        return new ClusterTracking(uri, true, runsDir.resolve(sweep.name()).resolve(JOURNAL), env);
    }

    /** The tracker of the driver: the parent run, and the runs of cells that failed before they started theirs. */
    public TrackerSource source() {
        return specUri -> new TrackerFactory(new TrackingSettings(specUri, store, env, Path.of(""),
                SenderSettings.defaults())).create();
    }

    /** The environment that points a cell at the same store. */
    public Map<String, String> cellEnv() {
        return Map.of(TrackingSettings.STORE_ENV, store.toString());
    }
}
