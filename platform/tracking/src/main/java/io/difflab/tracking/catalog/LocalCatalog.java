package io.difflab.tracking.catalog;

import io.difflab.api.UserError;
import io.difflab.tracking.store.ExperimentMeta;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.MetricPoint;
import io.difflab.tracking.store.StoredRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs of a local MLflow file store. */
public final class LocalCatalog implements RunCatalog {

    private final FileStore store;

    public LocalCatalog(FileStore store) {
        this.store = store;
    }

    @Override
    public List<RunSummary> runs(String experiment) throws IOException {
        if (!store.exists()) {
            throw new UserError("no tracking store at " + store.root());
        }
        List<RunSummary> runs = new ArrayList<>();
        for (ExperimentMeta e : store.experiments()) {
            if (experiment == null || e.name().equals(experiment)) {
                for (StoredRun r : store.runs(e.experimentId())) {
                    runs.add(summary(r, e.name()));
                }
            }
        }
        if (experiment != null && store.experimentByName(experiment).isEmpty()) {
            throw new UserError("no experiment named " + experiment + " in " + store.root() + damagedNote());
        }
        runs.sort(Comparator.comparingLong(RunSummary::startTime).reversed());
        return runs;
    }

    @Override
    public RunSummary run(String runId) throws IOException {
        StoredRun r;
        try {
            r = store.resolveRun(runId);
        } catch (UserError e) {
            if (store.damaged().isEmpty() || !e.getMessage().startsWith("no run")) {
                throw e;
            }
            throw new UserError(e.getMessage() + damagedNote(), e);
        }
        String name = store.experiment(r.meta().experimentId()).map(ExperimentMeta::name).orElse("?");
        return summary(r, name);
    }

    @Override
    public List<MetricPoint> history(String runId, String key) throws IOException {
        return store.resolveRun(runId).history(key);
    }

    @Override
    public boolean downloadArtifact(String runId, String path, Path target) throws IOException {
        Path root = store.resolveRun(runId).files().artifactsDir();
        Path source = root.resolve(path).normalize();
        if (!source.startsWith(root) || !Files.isRegularFile(source)) {
            return false;
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    @Override
    public void logArtifacts(String runId, Path folder, String artifactPath) throws IOException {
        Path root = store.resolveRun(runId).files().artifactsDir();
        Path into = root.resolve(artifactPath).normalize();
        if (!into.startsWith(root)) {
            throw new IOException("artifact path leaves the run's artifacts: " + artifactPath);
        }
        List<Path> files;
        try (var walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path target = into.resolve(folder.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String location() {
        return store.root().toString();
    }

    @Override
    public List<String> damaged() {
        return store.damaged();
    }

    private String damagedNote() {
        List<String> damaged = store.damaged();
        return damaged.isEmpty() ? "" : " (damaged entries were passed over: " + String.join("; ", damaged) + ")";
    }

    private static RunSummary summary(StoredRun r, String experimentName) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, MetricPoint> e : r.latestMetrics().entrySet()) {
            metrics.put(e.getKey(), e.getValue().value());
        }
        Map<String, String> tags = r.tags();
        return new RunSummary(r.id(), experimentName, r.meta().runName(), r.meta().status(),
                r.meta().startTime(), r.meta().endTime(), RunSummary.effectiveParams(r.params(), tags), tags, metrics);
    }
}
