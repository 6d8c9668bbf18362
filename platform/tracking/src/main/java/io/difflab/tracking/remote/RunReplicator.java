package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.store.ExperimentMeta;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.MetricFile;
import io.difflab.tracking.store.MetricPoint;
import io.difflab.tracking.store.RunFiles;
import io.difflab.tracking.store.RunMeta;
import io.difflab.tracking.store.StoredRun;
import org.mlflow.api.proto.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one run of the local store to a server, incrementally and in order: the server's run
 * (created once, parents before children), then the params, tags, metric points and artifacts
 * it lacks, then the status. Reads only what the local store holds, so whatever was logged is
 * sent exactly once however often this is called, by whichever process: a batch whose answer
 * was lost (the server hung past the client's timeout, died, or this process was killed) is
 * reconciled with what the server holds before anything more is sent. Tags that name a local
 * run ({@code mlflow.parentRunId}, {@code difflab.trained_in_run}) are sent as the server's ids.
 */
public final class RunReplicator {

    private static final Logger LOG = LoggerFactory.getLogger(RunReplicator.class);

    private final FileStore store;
    private final MlflowServer server;
    /** Experiment ids on the server by name, found once per replicator. */
    private final Map<String, String> experimentIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, RunFiles> located = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per run folder: the modification times of params/ and tags/ when last found fully sent. */
    private final Map<Path, FileTime[]> unchangedSince = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per artifact file: its size and modification time when its hash was computed, and the hash. */
    private final Map<Path, String[]> hashes = new java.util.concurrent.ConcurrentHashMap<>();

    public RunReplicator(FileStore store, MlflowServer server) {
        this.store = store;
        this.server = server;
    }

    public FileStore store() {
        return store;
    }

    public MlflowServer server() {
        return server;
    }

    /**
     * Sends what the server lacks of a run.
     *
     * @throws TrackingServerException when the server fails; what was acknowledged stays recorded
     * @throws IOException             when the local store cannot be read
     */
    public SyncOutcome sync(String localRunId) throws IOException {
        StoredRun run = locate(localRunId);
        try (SyncLock lock = SyncLock.tryAcquire(run.files(), server.uri())) {
            if (lock == null) {
                return SyncOutcome.busy(localRunId);
            }
            return send(run);
        } catch (ParentBeingSent e) {
            return SyncOutcome.busy(localRunId); // the parent's sender creates the parent; this run comes after
        }
    }

    /** One pass over a run whose lock this thread holds. */
    private SyncOutcome send(StoredRun run) throws IOException {
        RunMeta meta = run.meta(); // read first: everything written before it goes out in this pass
        SyncState state = SyncState.load(run.files(), server.uri());
        boolean updated = state.remoteRunId == null;
        int created = ensureRemoteRun(run, state);
        if (!state.unconfirmedMetrics.isEmpty()) {
            reconcile(run, state);
        }
        FileTime[] seen = {lastModified(run.files().paramsDir()), lastModified(run.files().tagsDir())};
        FileTime[] before = unchangedSince.get(run.files().dir());
        boolean same = before != null && seen[0].equals(before[0]) && seen[1].equals(before[1]);
        int params = same ? 0 : sendParams(run, state);
        int tags = created + (same ? 0 : sendTags(run, state));
        unchangedSince.put(run.files().dir(), seen);
        int metrics = sendMetrics(run, state);
        int artifacts = sendArtifacts(run, state);
        if (!meta.status().name().equals(state.statusSent)) {
            server.updateStatus(state.remoteRunId, meta.status(), meta.endTime());
            state.statusSent = meta.status().name();
            state.save();
            updated = true;
        }
        return new SyncOutcome(run.id(), state.remoteRunId, params, tags, metrics, artifacts,
                state.statusSent, updated, meta.terminal(), false);
    }

    /** The run, its folder remembered between passes (finding it reads every experiment's meta). */
    private StoredRun locate(String localRunId) throws IOException {
        RunFiles known = located.get(localRunId);
        if (known != null && Files.isRegularFile(known.meta())) {
            return StoredRun.open(known);
        }
        StoredRun run = store.run(localRunId)
                .orElseThrow(() -> new IOException("no run " + localRunId + " in " + store.root()));
        located.put(localRunId, run.files());
        return run;
    }

    /** Creates the server's run when it has none yet; returns the tags sent with it. */
    private int ensureRemoteRun(StoredRun run, SyncState state) throws IOException {
        if (state.remoteRunId != null) {
            return 0;
        }
        String experiment = store.experiment(run.meta().experimentId()).map(ExperimentMeta::name)
                .orElse(FileStore.DEFAULT_EXPERIMENT_NAME);
        String known = experimentIds.get(experiment);
        state.experimentId = known != null ? known : server.experimentId(experiment);
        experimentIds.put(experiment, state.experimentId);
        Optional<Service.RunInfo> existing = server.findByLocalRunId(state.experimentId, run.id());
        if (existing.isPresent()) {
            adopt(run, state, existing.get());
            state.save();
            return 0;
        }
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
                .setExperimentId(state.experimentId)
                .setRunName(run.meta().runName())
                .setStartTime(run.meta().startTime())
                .setUserId(run.meta().userId());
        Map<String, String> sentNow = new java.util.TreeMap<>();
        for (Map.Entry<String, String> tag : RemoteTags.of(run, this::remoteParentId).entrySet()) {
            if (sentNow.size() == io.difflab.tracking.MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH) {
                break;
            }
            request.addTags(Service.RunTag.newBuilder().setKey(tag.getKey()).setValue(tag.getValue()));
            sentNow.put(tag.getKey(), SyncState.hash(tag.getValue()));
        }
        Service.RunInfo info = server.createRun(request.build());
        state.remoteRunId = info.getRunId();
        state.artifactRoot = ArtifactUploader.artifactRoot(info.getArtifactUri(), state.experimentId, info.getRunId());
        state.statusSent = RunStatus.RUNNING.name();
        state.tagsSent.putAll(sentNow);
        state.save();
        LOG.info("run {} is run {} on {}", run.id(), state.remoteRunId, server.uri());
        return sentNow.size();
    }

    /**
     * After a batch that got no answer: the server holds a prefix of each metric file (batches go
     * out in file order), as long as it says, so the cursor of each key goes to the end of that prefix.
     */
    private void reconcile(StoredRun run, SyncState state) throws IOException {
        for (String key : state.unconfirmedMetrics) {
            int held = server.metricHistory(state.remoteRunId, key).size();
            state.metricOffsets.put(key, MetricFile.read(run.files().metric(key), 0, held).endOffset());
        }
        LOG.info("run {}: the server's answer to a batch was lost; it holds {} of its keys as far as it says",
                run.id(), state.unconfirmedMetrics.size());
        state.unconfirmedMetrics.clear();
        state.save();
    }

    /** Takes over a server run made earlier for this local run (its state was lost): learns what it has. */
    private void adopt(StoredRun run, SyncState state, Service.RunInfo info) throws IOException {
        state.remoteRunId = info.getRunId();
        state.artifactRoot = ArtifactUploader.artifactRoot(info.getArtifactUri(), state.experimentId, info.getRunId());
        state.statusSent = info.getStatus().name();
        Service.Run remote = server.run(info.getRunId());
        remote.getData().getParamsList().forEach(p -> state.paramsSent.add(p.getKey()));
        remote.getData().getTagsList().forEach(t -> state.tagsSent.put(t.getKey(), SyncState.hash(t.getValue())));
        for (String key : run.metricKeys()) {
            int count = server.metricHistory(state.remoteRunId, key).size();
            if (count > 0) { // batches go out in file order: the server holds a prefix of each file
                state.metricOffsets.put(key, MetricFile.read(run.files().metric(key), 0, count).endOffset());
            }
        }
        LOG.info("run {} is already run {} on {}: sending only what it lacks", run.id(), state.remoteRunId, server.uri());
    }

    /** The server's id of a local parent run, sending the parent's run first when needed. */
    private String remoteParentId(String localParentId) throws IOException {
        Optional<StoredRun> parent = store.run(localParentId);
        if (parent.isEmpty()) {
            return localParentId;
        }
        SyncState parentState = SyncState.load(parent.get().files(), server.uri());
        if (parentState.remoteRunId != null) {
            return parentState.remoteRunId;
        }
        try (SyncLock lock = SyncLock.tryAcquire(parent.get().files(), server.uri())) {
            if (lock == null) {
                throw new ParentBeingSent(localParentId);
            }
            parentState = SyncState.load(parent.get().files(), server.uri());
            ensureRemoteRun(parent.get(), parentState);
            return parentState.remoteRunId;
        }
    }

    private int sendParams(StoredRun run, SyncState state) throws IOException {
        int sent = 0;
        LogBatch batch = new LogBatch();
        for (Map.Entry<String, String> p : run.params().entrySet()) {
            if (state.paramsSent.contains(p.getKey())) {
                continue;
            }
            if (!batch.addParam(p.getKey(), p.getValue())) {
                sent += flush(batch, state);
                batch = new LogBatch();
                batch.addParam(p.getKey(), p.getValue());
            }
        }
        return sent + flush(batch, state);
    }

    private int sendTags(StoredRun run, SyncState state) throws IOException {
        int sent = 0;
        LogBatch batch = new LogBatch();
        for (Map.Entry<String, String> t : RemoteTags.of(run, this::remoteParentId).entrySet()) {
            if (SyncState.hash(t.getValue()).equals(state.tagsSent.get(t.getKey()))) {
                continue;
            }
            if (!batch.addTag(t.getKey(), t.getValue())) {
                sent += flush(batch, state);
                batch = new LogBatch();
                batch.addTag(t.getKey(), t.getValue());
            }
        }
        return sent + flush(batch, state);
    }

    private int sendMetrics(StoredRun run, SyncState state) throws IOException {
        int sent = 0;
        LogBatch batch = new LogBatch();
        for (String key : run.metricKeys()) {
            long offset = state.metricOffsets.getOrDefault(key, 0L);
            if (Files.size(run.files().metric(key)) == offset) {
                continue;
            }
            while (true) {
                int room = batch.metricRoom();
                if (room == 0) {
                    sent += flush(batch, state);
                    batch = new LogBatch();
                    continue;
                }
                MetricFile.Chunk chunk = MetricFile.read(run.files().metric(key), offset, room);
                for (MetricPoint p : chunk.points()) {
                    batch.addMetric(key, p.value(), p.timestamp(), p.step());
                }
                if (chunk.endOffset() > offset) {
                    batch.metricEnds.put(key, chunk.endOffset());
                }
                offset = chunk.endOffset();
                if (chunk.points().size() < room) {
                    break;
                }
            }
        }
        return sent + flush(batch, state);
    }

    private int sendArtifacts(StoredRun run, SyncState state) throws IOException {
        int sent = 0;
        for (String relative : run.artifacts()) {
            Path file = run.files().artifactsDir().resolve(relative);
            String hash = contentHash(file);
            if (hash.equals(state.artifactsSent.get(relative))) {
                continue;
            }
            server.uploadArtifact(state.artifactRoot, relative, file);
            state.artifactsSent.put(relative, hash);
            state.save();
            sent++;
        }
        return sent;
    }

    /** The SHA-256 of a file, computed again only when its size or modification time changed. */
    private String contentHash(Path file) throws IOException {
        String size = Long.toString(Files.size(file));
        String modified = Files.getLastModifiedTime(file).toString();
        String[] known = hashes.get(file);
        if (known != null && known[0].equals(size) && known[1].equals(modified)) {
            return known[2];
        }
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        String hash = java.util.HexFormat.of().formatHex(sha.digest());
        hashes.put(file, new String[] {size, modified, hash});
        return hash;
    }

    /** A folder's modification time (changed by every file created or renamed into it). */
    private static FileTime lastModified(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.getLastModifiedTime(dir) : FileTime.fromMillis(0);
    }

    /** Another thread or process holds the lock of a run's parent and has not created it on the server yet. */
    private static final class ParentBeingSent extends IOException {
        ParentBeingSent(String localParentId) {
            super("parent run " + localParentId + " is being sent by another process");
        }
    }

    /** Sends a batch and records it as sent; returns the number of entities sent. */
    private int flush(LogBatch batch, SyncState state) throws IOException {
        if (batch.isEmpty() && batch.metricEnds.isEmpty()) {
            return 0;
        }
        if (!batch.isEmpty()) {
            if (!batch.metrics.isEmpty()) {
                batch.metrics.forEach(m -> state.unconfirmedMetrics.add(m.getKey()));
                state.save(); // the answer may never come: the next pass then asks what the server holds
            }
            server.logBatch(state.remoteRunId, batch.metrics, batch.params, batch.tags);
            state.unconfirmedMetrics.clear();
        }
        batch.params.forEach(p -> state.paramsSent.add(p.getKey()));
        batch.tags.forEach(t -> state.tagsSent.put(t.getKey(), SyncState.hash(t.getValue())));
        state.metricOffsets.putAll(batch.metricEnds);
        state.save();
        return batch.entities();
    }
}
