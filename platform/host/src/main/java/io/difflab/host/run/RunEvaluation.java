package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.RunContext;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.inject.RunContextHolder;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code difflab eval}: runs metrics on a finished run's saved samples (and, for likelihoods, its
 * newest checkpoint; for a model that generates nothing, on its checkpoints alone), records them on
 * the same tracked run and merges them into its results.
 */
public final class RunEvaluation {

    private final ExtensionRegistry registry;
    private final RunContextHolder runs;
    private final TrackerSource trackers;

    @Inject
    public RunEvaluation(ExtensionRegistry registry, RunContextHolder runs, Optional<TrackerSource> trackers) {
        this.registry = registry;
        this.runs = runs;
        this.trackers = TrackerSources.require(trackers);
    }

    /** Evaluates {@code runDir} with the metrics of {@code spec} (the run's spec, metrics possibly overridden). */
    public Map<String, Double> evaluate(Path runDir, ExperimentSpec spec) {
        RunArtifacts artifacts = new RunArtifacts(runDir);
        Components c = Components.resolve(registry, spec);
        Device device = Devices.resolve(spec.device());
        ImageDataset train = c.dataset().load(spec.dataset(), Split.TRAIN);
        ModelAssembly assembly = ModelAssembly.of(registry, spec, train);
        boolean generates = assembly.model().generates();
        if (generates && !Files.isRegularFile(artifacts.samples())) {
            throw new UserError(runDir + " has no " + RunArtifacts.SAMPLES + ": only a run that sampled can be evaluated");
        }
        Tracker tracker = trackers.open(spec.tracking().uri());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            RunContext context = new RunContext(runDir.getFileName().toString(), spec.seed(), device, runDir);
            runs.set(context);
            // likelihood metrics need the primary network's weights: restore it from its newest checkpoint
            TrainedNetworks trained = TrainedNetworks.NONE;
            TrainableNetwork primary = assembly.model().networks().stream().filter(TrainableNetwork::primary)
                    .findFirst().orElse(null);
            if (primary != null) { // a model that trains nothing has nothing to restore
                Networks.initialize(primary, manager, spec.seed());
                TrainingSession session = new TrainingSession(primary.block(), manager);
                session.restoreWeights(new CheckpointStore(TrainingStage.checkpointDir(runDir, primary), 2).latest()
                        .orElseThrow(() -> new UserError(runDir + " has no checkpoint to evaluate the model with")));
                trained = TrainedNetworks.of(Map.of(primary.name(),
                        new TrainedNetworks.Trained(primary.block(), session.ema().parameterStore(manager))));
            }
            NDList saved = generates ? artifacts.readSamples(manager) : new NDList();
            Map<String, List<Object>> requested = new LinkedHashMap<>();
            if (saved.size() > 1) {
                requested.put(ConditionFields.LABEL, Arrays.stream(saved.get(1).toIntArray()).boxed()
                        .map(Object.class::cast).toList());
            }
            List<String> captions = artifacts.readCaptions();
            if (captions != null) {
                requested.put(ConditionFields.CAPTION, List.copyOf(captions));
            }
            Map<String, Double> previous = readResults(artifacts.results());
            Map<String, Double> facts = new LinkedHashMap<>();
            previous.forEach((k, v) -> {
                if (k.startsWith("sample.")) {
                    facts.put(k, v);
                }
            });
            TrackedRun tracked = tracker.resumeRun(readRunId(runDir));
            Map<String, Double> values;
            try {
                values = EvaluationStage.evaluate(c.metrics(), spec.metrics(),
                        generates ? new Samples(saved.get(0), requested, facts) : Samples.NONE, train,
                        () -> c.dataset().load(spec.dataset(), Split.TEST), assembly.model().likelihood(trained),
                        context, tracked, spec.train().steps());
            } catch (RuntimeException e) {
                tracked.end(RunStatus.FINISHED); // the run itself finished; the evaluation's error is reported
                throw e;
            }
            Map<String, Double> merged = new LinkedHashMap<>(previous);
            merged.putAll(values);
            artifacts.writeResults(merged);
            tracked.logArtifact(artifacts.results(), "");
            tracked.end(RunStatus.FINISHED);
            return values;
        } finally {
            runs.clear();
            if (tracker instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // the tracker reports its own outages
                }
            }
        }
    }

    private static String readRunId(Path runDir) {
        try {
            return Files.readString(runDir.resolve(RunRecord.FILE)).trim();
        } catch (IOException e) {
            throw new UserError(runDir + " has no tracked run (" + RunRecord.FILE + "): was it made by difflab run?", e);
        }
    }

    private static Map<String, Double> readResults(Path file) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        Properties p = new Properties();
        try (InputStream is = Files.newInputStream(file)) {
            p.load(is);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, Double.parseDouble(p.getProperty(k))));
        return out;
    }
}
