package io.difflab.tracking.remote;

import io.difflab.tracking.store.AtomicFiles;
import io.difflab.tracking.store.MetaYaml;
import io.difflab.tracking.store.RunFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What of one local run a given server already has: the server's run id and artifact root,
 * the params sent, a hash of each tag value sent, a byte offset per metric file (metric files
 * only grow, so an offset is an exact cursor), the artifacts sent (by content hash) and the last
 * status sent. Kept in {@code <run>/.difflab/sync/<hash of the server URI>.yaml}, rewritten
 * atomically after every request the server acknowledged; this is what makes sending again send
 * nothing twice. Before a batch of metric points goes out its keys are recorded as unconfirmed: a
 * batch whose answer never came (a hung or dying server, a killed process) may or may not have been
 * stored, so the next pass first asks the server how many points of those keys it holds.
 */
final class SyncState {

    final String uri;
    String experimentId;
    String remoteRunId;
    String artifactRoot;
    String statusSent;
    final TreeSet<String> paramsSent = new TreeSet<>();
    final TreeMap<String, String> tagsSent = new TreeMap<>();
    final TreeMap<String, Long> metricOffsets = new TreeMap<>();
    /** Artifact path to the SHA-256 of the content sent. */
    final TreeMap<String, String> artifactsSent = new TreeMap<>();
    /** Metric keys of a batch sent without an answer yet. */
    final TreeSet<String> unconfirmedMetrics = new TreeSet<>();
    private final RunFiles files;

    private SyncState(RunFiles files, String uri) {
        this.files = files;
        this.uri = uri;
    }

    /** The state file of {@code files} for server {@code uri}. */
    static Path file(RunFiles files, String uri) {
        return files.privateDir().resolve("sync").resolve(hash(uri).substring(0, 16) + ".yaml");
    }

    /** The saved state, or a fresh one when nothing was sent to {@code uri} yet. */
    @SuppressWarnings("unchecked")
    static SyncState load(RunFiles files, String uri) throws IOException {
        SyncState s = new SyncState(files, uri);
        Path file = file(files, uri);
        if (!Files.isRegularFile(file)) {
            return s;
        }
        Map<String, Object> m = MetaYaml.load(file);
        s.experimentId = (String) m.get("experiment_id");
        s.remoteRunId = (String) m.get("remote_run_id");
        s.artifactRoot = (String) m.get("artifact_root");
        s.statusSent = (String) m.get("status_sent");
        s.paramsSent.addAll((List<String>) m.getOrDefault("params_sent", List.of()));
        ((Map<String, Object>) m.getOrDefault("tags_sent", Map.of())).forEach((k, v) -> s.tagsSent.put(k, (String) v));
        ((Map<String, Object>) m.getOrDefault("metric_offsets", Map.of()))
                .forEach((k, v) -> s.metricOffsets.put(k, ((Number) v).longValue()));
        // a size (what earlier versions kept) matches no hash: such an artifact is sent once more
        ((Map<String, Object>) m.getOrDefault("artifacts_sent", Map.of()))
                .forEach((k, v) -> s.artifactsSent.put(k, String.valueOf(v)));
        s.unconfirmedMetrics.addAll((List<String>) m.getOrDefault("unconfirmed_metrics", List.of()));
        return s;
    }

    /** Writes the state atomically. */
    void save() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", uri);
        m.put("experiment_id", experimentId);
        m.put("remote_run_id", remoteRunId);
        m.put("artifact_root", artifactRoot);
        m.put("status_sent", statusSent);
        m.put("params_sent", List.copyOf(paramsSent));
        m.put("tags_sent", tagsSent);
        m.put("metric_offsets", metricOffsets);
        m.put("artifacts_sent", artifactsSent);
        m.put("unconfirmed_metrics", List.copyOf(unconfirmedMetrics));
        AtomicFiles.write(file(files, uri), MetaYaml.dump(m), files.tmpDir());
    }

    /** Forgets what the server has (its run was deleted or the state refers to another run). */
    void reset() {
        experimentId = null;
        remoteRunId = null;
        artifactRoot = null;
        statusSent = null;
        paramsSent.clear();
        tagsSent.clear();
        metricOffsets.clear();
        artifactsSent.clear();
        unconfirmedMetrics.clear();
    }

    static String hash(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
