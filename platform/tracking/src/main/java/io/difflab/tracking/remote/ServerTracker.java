package io.difflab.tracking.remote;

import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;

import java.util.Map;

/**
 * Records runs on an MLflow tracking server. Every event is first written to the local store
 * (the same MLflow layout, which doubles as the outbox), then sent in order by a background
 * sender with retries and back-off: a server outage never blocks or fails training, and what
 * it could not take is sent later, by this process or by {@code difflab sync}.
 */
public final class ServerTracker implements Tracker, AutoCloseable {

    private final LocalTracker local;
    private final MlflowServer server;
    private final SenderSettings settings;
    private final BackgroundSender sender;

    public ServerTracker(LocalTracker local, MlflowServer server, SenderSettings settings) {
        this.local = local;
        this.server = server;
        this.settings = settings;
        this.sender = new BackgroundSender(new RunReplicator(local.store(), server), settings);
    }

    @Override
    public TrackedRun startRun(String experiment, String runName, String parentRunId, Map<String, String> tags) {
        return send(local.startRun(experiment, runName, parentRunId, tags));
    }

    @Override
    public TrackedRun resumeRun(String runId) {
        return send(local.resumeRun(runId));
    }

    @Override
    public String location() {
        return server.uri() + " (journal " + local.location() + ")";
    }

    /** The local store every event goes to first. */
    public LocalTracker journal() {
        return local;
    }

    /** Gives the sender one last pass (bounded by the flush timeout), then closes the client. */
    @Override
    public void close() {
        sender.close();
        server.close();
    }

    private TrackedRun send(LocalRun run) {
        sender.watch(run.id());
        return new SendingRun(run, sender, settings, server.uri());
    }
}
