package io.difflab.tracking.store;

import io.difflab.api.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * MLflow's file store ({@code mlflow/store/tracking/file_store.py}) under one root folder, by
 * default {@code ./mlruns}: {@code <root>/<experiment id>/meta.yaml} and
 * {@code <root>/<experiment id>/<run id>/...}, the default experiment {@code 0} named
 * {@code Default} and the {@code .trash} folder, so that {@code mlflow ui --backend-store-uri}
 * opens it. Experiment creation is serialized across processes by a lock file in the root.
 * Folders whose meta.yaml is damaged (cut short by a crash, emptied, edited by hand) are passed
 * over and remembered with the reason ({@link #damaged()}), for the commands to name by path.
 */
public final class FileStore {

    static final String META = "meta.yaml";
    public static final String DEFAULT_EXPERIMENT_ID = "0";
    public static final String DEFAULT_EXPERIMENT_NAME = "Default";
    /** Folders under the root or an experiment that are not experiments or runs. */
    private static final Set<String> RESERVED = Set.of(".trash", "models", "tags", "datasets", "traces");
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path root;
    private final SecureRandom random = new SecureRandom();
    private final Map<Path, String> damaged = new ConcurrentHashMap<>();

    public FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public boolean exists() {
        return Files.isDirectory(root);
    }

    /** The damaged experiment and run folders passed over so far, as "folder: reason", sorted. */
    public List<String> damaged() {
        return damaged.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    /**
     * Throws a UserError when the store cannot be written where it is (or where it would be
     * created): checked before a run creates anything, so that nothing is left half made.
     */
    public void checkWritable() {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UserError("cannot write the tracking store " + root + ": "
                    + (existing == null ? "no such folder" : existing + " is not a folder"));
        }
        if (!Files.isWritable(existing)) {
            throw new UserError("cannot write the tracking store " + root + ": " + existing
                    + " is not writable (permission denied); use another folder (tracking.uri) or fix its permissions");
        }
    }

    /** Creates the root, {@code .trash} and the default experiment 0 where missing, as MLflow does. */
    public void initialize() throws IOException {
        Files.createDirectories(root.resolve(".trash"));
        if (!Files.exists(root.resolve(DEFAULT_EXPERIMENT_ID).resolve(META))) {
            locked(() -> {
                if (!Files.exists(root.resolve(DEFAULT_EXPERIMENT_ID).resolve(META))) {
                    writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
                }
                return null;
            });
        }
    }

    /** The active experiments with a readable meta.yaml, by id. */
    public List<ExperimentMeta> experiments() throws IOException {
        List<ExperimentMeta> found = new ArrayList<>();
        for (Path dir : subfolders(root)) {
            readExperiment(dir).filter(ExperimentMeta::active).ifPresent(found::add);
        }
        found.sort(Comparator.comparing(ExperimentMeta::experimentId));
        return found;
    }

    public Optional<ExperimentMeta> experiment(String experimentId) throws IOException {
        return readExperiment(root.resolve(experimentId));
    }

    public Optional<ExperimentMeta> experimentByName(String name) throws IOException {
        return experiments().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The active experiment named {@code name}, created (with a new numeric id) when absent. */
    public ExperimentMeta getOrCreateExperiment(String name) throws IOException {
        if (name == null || name.isBlank()) {
            throw new UserError("an experiment name must not be empty");
        }
        initialize();
        Optional<ExperimentMeta> existing = experimentByName(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        return locked(() -> {
            Optional<ExperimentMeta> again = experimentByName(name);
            if (again.isPresent()) {
                return again.get();
            }
            String id;
            do {
                id = newExperimentId();
            } while (Files.exists(root.resolve(id)) || Files.exists(root.resolve(".trash").resolve(id)));
            return writeExperiment(id, name);
        });
    }

    /** The run folders of an experiment (folders holding a meta.yaml). */
    public List<RunFiles> runFolders(String experimentId) throws IOException {
        List<RunFiles> runs = new ArrayList<>();
        for (Path dir : subfolders(root.resolve(experimentId))) {
            if (Files.isRegularFile(dir.resolve(META))) {
                runs.add(new RunFiles(dir));
            }
        }
        return runs;
    }

    /** The readable runs of an experiment, newest first; unreadable ones are skipped with a warning. */
    public List<StoredRun> runs(String experimentId) throws IOException {
        List<StoredRun> runs = new ArrayList<>();
        for (RunFiles files : runFolders(experimentId)) {
            try {
                runs.add(StoredRun.open(files));
            } catch (IOException e) {
                damaged.put(files.dir(), reason(e));
                LOG.debug("skipping run folder {}: {}", files.dir(), e.getMessage());
            }
        }
        runs.sort(Comparator.comparingLong((StoredRun r) -> r.meta().startTime()).reversed());
        return runs;
    }

    /** Every readable run of every active experiment. */
    public List<StoredRun> allRuns() throws IOException {
        List<StoredRun> runs = new ArrayList<>();
        for (ExperimentMeta e : experiments()) {
            runs.addAll(runs(e.experimentId()));
        }
        return runs;
    }

    /** The run with this exact id, in any active experiment. */
    public Optional<StoredRun> run(String runId) throws IOException {
        for (ExperimentMeta e : experiments()) {
            Path dir = root.resolve(e.experimentId()).resolve(runId);
            if (Files.isRegularFile(dir.resolve(META))) {
                try {
                    return Optional.of(StoredRun.open(new RunFiles(dir)));
                } catch (IOException damagedMeta) {
                    throw new UserError("run " + runId + " cannot be read: " + reason(damagedMeta), damagedMeta);
                }
            }
        }
        return Optional.empty();
    }

    /** The run whose id is {@code idOrPrefix} or uniquely starts with it. */
    public StoredRun resolveRun(String idOrPrefix) throws IOException {
        Optional<StoredRun> exact = run(idOrPrefix);
        if (exact.isPresent()) {
            return exact.get();
        }
        List<StoredRun> matches = allRuns().stream().filter(r -> r.id().startsWith(idOrPrefix)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new UserError(matches.isEmpty()
                ? "no run " + idOrPrefix + " in " + root
                : "run id prefix " + idOrPrefix + " matches " + matches.size() + " runs in " + root);
    }

    /** Creates a run folder: meta.yaml (written atomically), metrics/, params/, artifacts/. */
    public RunFiles createRun(ExperimentMeta experiment, String runId, String runName, String userId,
                              long startTime) throws IOException {
        RunFiles files = new RunFiles(root.resolve(experiment.experimentId()).resolve(runId));
        Files.createDirectories(files.dir());
        RunMeta meta = new RunMeta(runId, experiment.experimentId(), runName,
                experiment.artifactLocation() + "/" + runId + "/artifacts", userId,
                io.difflab.api.tracking.RunStatus.RUNNING, startTime, null, "active");
        writeMeta(files, meta);
        Files.createDirectories(files.metricsDir());
        Files.createDirectories(files.paramsDir());
        Files.createDirectories(files.artifactsDir());
        return files;
    }

    /** Replaces a run's meta.yaml atomically. */
    public void writeMeta(RunFiles files, RunMeta meta) throws IOException {
        AtomicFiles.writeDurably(files.meta(), MetaYaml.dump(meta.toYamlMap()), files.tmpDir());
    }

    /** Runs {@code action} holding the store's lock (this JVM's threads and other processes). */
    @SuppressWarnings("try")
    public <T> T locked(IoAction<T> action) throws IOException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(".difflab.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.run();
            }
        } finally {
            jvmLock.unlock();
        }
    }

    /** An action on files. */
    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws IOException;
    }

    private ExperimentMeta writeExperiment(String id, String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        long now = System.currentTimeMillis();
        ExperimentMeta meta = new ExperimentMeta(id, name, fileUri(dir), "active", now, now);
        // temporary files of an experiment stay plain files: MLflow takes every sub-folder for a run
        AtomicFiles.writeDurably(dir.resolve(META), MetaYaml.dump(meta.toYamlMap()), dir);
        return meta;
    }

    private Optional<ExperimentMeta> readExperiment(Path dir) {
        Path meta = dir.resolve(META);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            ExperimentMeta experiment = ExperimentMeta.fromYamlMap(MetaYaml.load(meta));
            if (experiment.experimentId().isEmpty() || experiment.name().isEmpty()) {
                throw new IOException("damaged meta.yaml (no " + (experiment.name().isEmpty() ? "name" : "experiment_id")
                        + "): " + meta);
            }
            return Optional.of(experiment);
        } catch (IOException e) {
            damaged.put(dir, reason(e));
            LOG.debug("skipping experiment folder {}: {}", dir, e.getMessage());
            return Optional.empty();
        }
    }

    /** The reason of a damaged entry, without the path it names (which the listing shows). */
    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int colon = m.lastIndexOf(": /");
        return colon > 0 ? m.substring(0, colon) : m;
    }

    /** MLflow's experiment ids: 18 random digits, no leading zero ({@code _generate_unique_integer_id}). */
    private String newExperimentId() {
        long low = 100_000_000_000_000_000L;
        return Long.toString(low + (random.nextLong() & Long.MAX_VALUE) % (9 * low));
    }

    /** {@code file:///abs/path}, as Python's {@code pathlib.Path.as_uri()} spells it. */
    static String fileUri(Path dir) {
        String uri = dir.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory)
                    .filter(p -> !RESERVED.contains(p.getFileName().toString()))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }
}
