package io.difflab.tracking.catalog;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.TrackingServerException;
import io.difflab.tracking.store.MetricPoint;
import org.mlflow.api.proto.Service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs of a tracking server, through the official client. */
public final class ServerCatalog implements RunCatalog {

    private final MlflowServer server;

    public ServerCatalog(MlflowServer server) {
        this.server = server;
    }

    @Override
    public List<RunSummary> runs(String experiment) {
        try {
            List<RunSummary> runs = new ArrayList<>();
            boolean found = false;
            for (Service.Experiment e : server.experiments()) {
                if (experiment == null || e.getName().equals(experiment)) {
                    found = true;
                    server.runs(e.getExperimentId()).forEach(r -> runs.add(summary(r, e.getName())));
                }
            }
            if (experiment != null && !found) {
                throw new UserError("no experiment named " + experiment + " on " + server.uri());
            }
            runs.sort(Comparator.comparingLong(RunSummary::startTime).reversed());
            return runs;
        } catch (TrackingServerException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * One run by its server id, or by the id it has in the local store it was sent from (its
     * {@code difflab.local_run_id} tag): the ids difflab prints while the server is being sent to.
     */
    @Override
    public RunSummary run(String runId) {
        try {
            Service.Run r;
            try {
                r = server.run(runId);
            } catch (TrackingServerException e) {
                if (e.status() != 404 && e.status() != 400) {
                    throw e;
                }
                r = server.findByLocalRunId(runId).orElseThrow(() -> e);
            }
            String experimentId = r.getInfo().getExperimentId();
            String name = server.experiments().stream().filter(e -> e.getExperimentId().equals(experimentId))
                    .map(Service.Experiment::getName).findFirst().orElse(experimentId);
            return summary(r, name);
        } catch (TrackingServerException e) {
            throw new UserError(e.status() == 404 ? "no run " + runId + " on " + server.uri() : e.getMessage());
        }
    }

    @Override
    public List<MetricPoint> history(String runId, String key) {
        try {
            return server.metricHistory(runId, key).stream()
                    .map(m -> new MetricPoint(m.getTimestamp(), m.getValue(), m.getStep())).toList();
        } catch (TrackingServerException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Override
    public boolean downloadArtifact(String runId, String path, Path target) {
        try {
            return server.downloadArtifact(artifactRoot(runId), path, target);
        } catch (TrackingServerException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Override
    public void logArtifacts(String runId, Path folder, String artifactPath) throws IOException {
        String prefix = artifactPath.isEmpty() ? "" : artifactPath.replaceAll("/+$", "") + "/";
        List<Path> files;
        try (var walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        try {
            String root = artifactRoot(runId);
            for (Path f : files) {
                server.uploadArtifact(root, prefix + folder.relativize(f).toString().replace('\\', '/'), f);
            }
        } catch (TrackingServerException e) {
            throw new UserError(e.getMessage());
        }
    }

    private String artifactRoot(String runId) {
        Service.RunInfo info = server.run(runId).getInfo();
        return MlflowServer.artifactRoot(info.getArtifactUri(), info.getExperimentId(), info.getRunId());
    }

    @Override
    public String location() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
    }

    private static RunSummary summary(Service.Run r, String experimentName) {
        Map<String, String> params = new TreeMap<>();
        r.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        Map<String, String> tags = new TreeMap<>();
        r.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        r.getData().getMetricsList().stream().sorted(Comparator.comparing(Service.Metric::getKey))
                .forEach(m -> metrics.put(m.getKey(), m.getValue()));
        Service.RunInfo info = r.getInfo();
        return new RunSummary(info.getRunId(), experimentName, info.getRunName(),
                RunStatus.valueOf(info.getStatus().name()), info.getStartTime(),
                info.hasEndTime() && info.getEndTime() > 0 ? info.getEndTime() : null,
                RunSummary.effectiveParams(params, tags), tags, metrics);
    }
}
