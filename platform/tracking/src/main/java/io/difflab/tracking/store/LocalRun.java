package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.tracking.MlflowLimits;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.SystemTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run being written to the local {@link FileStore}. Keys are made valid and values kept within
 * MLflow's limits and free of credentials before anything is written; params are immutable (a
 * second, different value is refused with a warning, as MLflow refuses it). A failing disk is
 * reported in the log, never thrown at the training.
 * A reopened run knows the last step of each metric recorded before ({@link #recordedSteps()}).
 */
public final class LocalRun implements TrackedRun {

    public static final String TRUNCATED_PARAMS_TAG = "difflab.truncated_params";
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);
    private static final long SCRUB_LIMIT_BYTES = 64L << 20;

    private final FileStore store;
    private final RunFiles files;
    private final Redactor redactor;
    private final Set<String> checkedMetrics = new HashSet<>();
    private final Set<String> truncatedParams = new TreeSet<>();
    private final Map<String, Boolean> warnedKeys = new LinkedHashMap<>();
    /** Per metric key, the last step recorded before this run was resumed (empty for a new run). */
    private final Map<String, Long> recordedBefore = new HashMap<>();
    private RunMeta meta;

    public LocalRun(FileStore store, RunFiles files, RunMeta meta, Redactor redactor) {
        this.store = store;
        this.files = files;
        this.meta = meta;
        this.redactor = redactor;
    }

    @Override
    public String id() {
        return meta.runId();
    }

    @Override
    public String experimentId() {
        return meta.experimentId();
    }

    public RunFiles files() {
        return files;
    }

    public synchronized RunMeta meta() {
        return meta;
    }

    @Override
    public synchronized void logParams(Map<String, String> params) {
        boolean truncated = false;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String key = key(e.getKey());
            String clean = redactor.scrub(e.getValue() == null ? "" : e.getValue());
            String value = MlflowLimits.paramValue(clean);
            if (!value.equals(clean)) {
                LOG.warn("param {} of run {} has {} characters: truncated to MLflow's {}",
                        key, id(), clean.length(), MlflowLimits.MAX_PARAM_VALUE_LENGTH);
                truncated |= truncatedParams.add(key);
            }
            guard("param " + key, () -> {
                Path file = files.param(key);
                if (Files.isRegularFile(file)) {
                    String old = Files.readString(file, StandardCharsets.UTF_8);
                    if (!old.equals(value)) {
                        LOG.warn("param {} of run {} is already {}; MLflow params never change, {} is not recorded",
                                key, id(), old, value);
                    }
                    return;
                }
                AtomicFiles.write(file, value, files.tmpDir());
            });
        }
        if (truncated) {
            setTags(Map.of(TRUNCATED_PARAMS_TAG, String.join(",", truncatedParams)));
        }
    }

    @Override
    public void logMetric(String key, double value, long step) {
        logMetrics(Map.of(key, value), step);
    }

    @Override
    public synchronized void logMetrics(Map<String, Double> metrics, long step) {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String key = key(e.getKey());
            guard("metric " + key, () -> {
                Path file = files.metric(key);
                if (checkedMetrics.add(key)) {
                    AtomicFiles.dropPartialLastLine(file);
                }
                AtomicFiles.appendLine(file, new MetricPoint(now, e.getValue(), step).toLine());
            });
        }
    }

    @Override
    public synchronized void setTags(Map<String, String> tags) {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String key = key(e.getKey());
            String value = MlflowLimits.tagValue(redactor.scrub(e.getValue() == null ? "" : e.getValue()));
            guard("tag " + key, () -> {
                AtomicFiles.write(files.tag(key), value, files.tmpDir());
                if (key.equals(SystemTags.RUN_NAME) && !value.equals(meta.runName())) {
                    writeMeta(meta.withRunName(value));
                }
            });
        }
    }

    @Override
    public synchronized void logArtifact(Path file, String artifactPath) {
        String prefix = artifactPrefix(artifactPath);
        guard("artifact " + file, () -> {
            if (Files.isDirectory(file)) {
                for (String rel : StoredRun.relativeFiles(file)) {
                    copyArtifact(file.resolve(rel), prefix + rel);
                }
            } else {
                copyArtifact(file, prefix + file.getFileName());
            }
        });
    }

    @Override
    public synchronized void end(RunStatus status) {
        guard("status " + status, () -> {
            writeMeta(meta.withStatus(status, System.currentTimeMillis()));
            Files.deleteIfExists(files.ownerFile());
        });
    }

    @Override
    public synchronized Map<String, Long> recordedSteps() {
        return Map.copyOf(recordedBefore);
    }

    /** Sets the meta back to RUNNING (a resumed run) and notes the last step of every metric. */
    synchronized void reopen() throws IOException {
        StoredRun stored = StoredRun.open(files);
        for (String key : stored.metricKeys()) {
            AtomicFiles.dropPartialLastLine(files.metric(key));
            checkedMetrics.add(key);
            stored.history(key).stream().mapToLong(MetricPoint::step).max()
                    .ifPresent(step -> recordedBefore.put(key, step));
        }
        writeMeta(meta.withStatus(RunStatus.RUNNING, null));
    }

    private void writeMeta(RunMeta next) throws IOException {
        store.writeMeta(files, next);
        meta = next;
    }

    private void copyArtifact(Path source, String relative) throws IOException {
        Path target = files.artifactsDir().resolve(relative).normalize();
        if (!target.startsWith(files.artifactsDir())) {
            throw new IOException("artifact path leaves the run's artifacts: " + relative);
        }
        if (Files.size(source) <= SCRUB_LIMIT_BYTES) {
            AtomicFiles.write(target, redactor.scrubText(Files.readAllBytes(source)), files.tmpDir());
            return;
        }
        Files.createDirectories(files.tmpDir());
        Path tmp = AtomicFiles.createTempFile(files.tmpDir());
        try {
            Files.copy(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(target.getParent());
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String artifactPrefix(String artifactPath) {
        String p = artifactPath == null ? "" : artifactPath.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p + "/";
    }

    private String key(String raw) {
        String key = MlflowLimits.validKey(raw);
        if (!key.equals(raw) && warnedKeys.putIfAbsent(String.valueOf(raw), Boolean.TRUE) == null) {
            LOG.warn("key '{}' is not a valid MLflow key: recorded as '{}'", raw, key);
        }
        return key;
    }

    private void guard(String what, IoStep step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            LOG.error("run {}: could not record {} in {}: {}", id(), what, files.dir(),
                    redactor.scrub(String.valueOf(e.getMessage())));
        }
    }

    @FunctionalInterface
    private interface IoStep {
        void run() throws IOException;
    }
}
