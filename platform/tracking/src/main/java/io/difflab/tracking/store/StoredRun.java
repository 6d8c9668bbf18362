package io.difflab.tracking.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A run as it is on disk, read the way MLflow's file store reads it: meta, params, tags, the
 * metric histories and the latest value of each metric (the largest step, then timestamp,
 * then value: {@code FileStore._get_metric_from_file}), and the artifact files.
 */
public final class StoredRun {

    private final RunFiles files;
    private final RunMeta meta;

    private StoredRun(RunFiles files, RunMeta meta) {
        this.files = files;
        this.meta = meta;
    }

    /**
     * Reads the run's meta.yaml.
     *
     * @throws IOException when it is unreadable or damaged (cut short, empty, lacking its run id or start time)
     */
    public static StoredRun open(RunFiles files) throws IOException {
        java.util.Map<String, Object> yaml = MetaYaml.load(files.meta());
        RunMeta meta = RunMeta.fromYamlMap(yaml);
        if (meta.runId().isEmpty() || !yaml.containsKey("start_time") || meta.experimentId().isEmpty()) {
            throw new IOException("damaged meta.yaml (no " + (meta.runId().isEmpty() ? "run_id"
                    : meta.experimentId().isEmpty() ? "experiment_id" : "start_time") + "): " + files.meta());
        }
        return new StoredRun(files, meta);
    }

    public RunMeta meta() {
        return meta;
    }

    public RunFiles files() {
        return files;
    }

    public String id() {
        return meta.runId();
    }

    public Map<String, String> params() throws IOException {
        return readValues(files.paramsDir());
    }

    public Map<String, String> tags() throws IOException {
        return readValues(files.tagsDir());
    }

    /** The metric keys, sorted. */
    public List<String> metricKeys() throws IOException {
        return relativeFiles(files.metricsDir());
    }

    /** Every complete point of one metric, in logging order. */
    public List<MetricPoint> history(String key) throws IOException {
        return MetricFile.readAll(files.metric(key));
    }

    /** The latest point of every metric that has one. */
    public Map<String, MetricPoint> latestMetrics() throws IOException {
        Comparator<MetricPoint> order = Comparator.comparingLong(MetricPoint::step)
                .thenComparingLong(MetricPoint::timestamp)
                .thenComparingDouble(MetricPoint::value);
        Map<String, MetricPoint> latest = new TreeMap<>();
        for (String key : metricKeys()) {
            history(key).stream().max(order).ifPresent(p -> latest.put(key, p));
        }
        return latest;
    }

    /** Artifact paths relative to the artifact root, with forward slashes, sorted. */
    public List<String> artifacts() throws IOException {
        return relativeFiles(files.artifactsDir());
    }

    private static Map<String, String> readValues(Path folder) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : relativeFiles(folder)) {
            values.put(key, Files.readString(folder.resolve(key), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** Files under {@code folder} as slash-separated relative paths (keys with slashes nest). */
    static List<String> relativeFiles(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).forEach(p ->
                    names.add(folder.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/")));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        names.sort(String::compareTo);
        return names;
    }
}
