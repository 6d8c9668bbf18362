package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Progress;
import io.difflab.api.RunContext;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.inject.RunContextHolder;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.kit.engine.EngineSelfCheck;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.pf4j.PluginManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A run as stages (DESIGN.md's data flow): assemble the model the spec's family describes, train
 * (or resume) its networks in order, sample with the averaged weights, evaluate with the spec's
 * metrics, and record everything to the tracker; the run ends FINISHED, or FAILED with its reason.
 * The pipeline names no model, condition kind or guidance method: the model declares its networks
 * and what each sample needs, and generates itself; a model that generates nothing (CLIP) is
 * trained and evaluated by the metrics that need no samples.
 */
@Singleton
public final class DefaultRunPipeline implements RunPipeline {

    private final ExtensionRegistry registry;
    private final Progress.Factory progress;
    private final RunContextHolder runs;
    private final TrackerSource trackers;
    private final PluginManager plugins;
    private final RunChecks checks;

    @Inject
    public DefaultRunPipeline(ExtensionRegistry registry, Progress.Factory progress, RunContextHolder runs,
                              Optional<TrackerSource> trackers, PluginManager plugins) {
        this.registry = registry;
        this.progress = progress;
        this.runs = runs;
        this.trackers = TrackerSources.require(trackers);
        this.plugins = plugins;
        this.checks = new RunChecks(registry, this.trackers);
    }

    @Override
    public void check(ExperimentSpec spec) {
        checks.check(spec);
    }

    @Override
    public int run(ExperimentSpec spec, RunOptions options) {
        Components components = Components.resolve(registry, spec);
        String trainingKey = TrainingKey.of(spec, registry);
        if (options.trainedFrom() != null) {
            TrainedModel.linkInto(options.trainedFrom(), options.runDir(), trainingKey);
        }
        Device device = Devices.resolve(spec.device());
        RunContext context = new RunContext(options.runDir().getFileName().toString(), spec.seed(), device,
                options.runDir());
        ImageDataset train = components.dataset().load(spec.dataset(), Split.TRAIN);
        ModelAssembly assembly = ModelAssembly.of(registry, spec, train);
        Tracker tracker = trackers.open(spec.tracking().uri());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            EngineSelfCheck.verify(manager);
            runs.set(context);
            TrackedRun tracked = RunRecord.open(tracker, spec, options, context,
                    Provenance.tags(spec.seed(), device, train.checksum(), components.pluginVersions(plugins)));
            try (KillHook hook = new KillHook(tracked)) {
                Map<String, String> training = new LinkedHashMap<>(Map.of("difflab.training_key", trainingKey));
                if (options.trainedFrom() != null) {
                    training.put("difflab.trained_in", options.trainedFrom().toString());
                    RunRecord.idOf(options.trainedFrom()).ifPresent(id -> training.put("difflab.trained_in_run", id));
                }
                tracked.setTags(training);
                Map<String, Double> results = execute(spec, options, assembly, train, manager, context, tracked,
                        trainingKey);
                new RunArtifacts(options.runDir()).writeResults(results);
                tracked.logArtifact(new RunArtifacts(options.runDir()).results(), "");
                hook.finished();
                tracked.end(RunStatus.FINISHED);
                return 0;
            } catch (RuntimeException | Error e) {
                tracked.setTags(Map.of("difflab.failure", String.valueOf(e.getMessage())));
                tracked.end(RunStatus.FAILED);
                throw e;
            }
        } finally {
            runs.clear();
            if (tracker instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(DefaultRunPipeline.class).warn("tracker close: {}", e.toString());
                }
            }
        }
    }

    /** The stages after assembly: train, sample, evaluate; recording throughout. */
    private Map<String, Double> execute(ExperimentSpec spec, RunOptions options, ModelAssembly assembly,
                                        ImageDataset train, NDManager manager, RunContext context, TrackedRun tracked,
                                        String trainingKey) {
        Model model = assembly.model();
        Components c = assembly.components();
        Supplier<ImageDataset> test = once(() -> c.dataset().load(spec.dataset(), Split.TEST));
        TrainingStage stage = new TrainingStage(progress, tracked, manager, spec.seed(), options.continuesTraining());
        Optional<TrainableNetwork> primaryNetwork = model.networks().stream().filter(TrainableNetwork::primary)
                .findFirst();
        if (primaryNetwork.isEmpty() && !model.networks().isEmpty()) {
            throw new IllegalStateException("the model has networks but no primary one");
        }
        TrainableNetwork primary = primaryNetwork.orElse(null);
        TrainedNetworks trained = stage.train(model.networks(), train, spec.train(), options.runDir(),
                (session, before) -> List.of(new PeriodicEvaluation(spec.train().evalEvery(), step -> {
                    try (NDManager sub = manager.newSubManager()) {
                        // the networks trained before the primary one (a dVAE) and the primary as it is at
                        // this step; the networks after it do not exist yet
                        Map<String, TrainedNetworks.Trained> networks = new LinkedHashMap<>();
                        before.names().forEach(name -> networks.put(name, before.get(name)));
                        networks.put(primary.name(), new TrainedNetworks.Trained(primary.block(),
                                session.ema().parameterStore(sub)));
                        TrainedNetworks sofar = TrainedNetworks.of(networks);
                        Samples samples = model.generates()
                                ? draw(spec, model, assembly, sub, sofar, test, spec.train().evalSamples())
                                : Samples.NONE;
                        EvaluationStage.evaluate(c.metrics(), spec.metrics(), samples, train, test,
                                model.likelihood(sofar), context, tracked, step);
                    }
                })));
        TrainedModel.record(options.runDir(), trainingKey);
        Samples samples = Samples.NONE;
        if (model.generates()) {
            samples = draw(spec, model, assembly, manager, trained, test, spec.sample().count());
            RunArtifacts artifacts = new RunArtifacts(options.runDir());
            artifacts.writeSamples(samples.images(), samples.requestedLabels());
            artifacts.writeCaptions(samples.requestedCaptions());
            tracked.logArtifact(artifacts.grid(), "");
            tracked.logArtifact(artifacts.samples(), "");
            if (samples.requestedCaptions() != null) {
                tracked.logArtifact(artifacts.captions(), "");
            }
        }
        long step = spec.train().steps();
        tracked.logMetrics(samples.facts(), step);
        Map<String, Double> results = new LinkedHashMap<>(samples.facts());
        results.putAll(EvaluationStage.evaluate(c.metrics(), spec.metrics(), samples, train, test,
                model.likelihood(trained), context, tracked, step));
        return results;
    }

    /** The sample stage: {@code count} samples with what each is asked for. */
    private Samples draw(ExperimentSpec spec, Model model, ModelAssembly assembly, NDManager manager,
                         TrainedNetworks trained, Supplier<ImageDataset> test, int count) {
        Map<String, List<Object>> requested = SampleRequests.of(model.sampleFields(), spec.sample(),
                assembly.dataset(), test, count);
        Generation generation = model.generate(new GenerationRequest(manager, trained, requested, count,
                spec.sample().batchSize(), spec.seed(), progress));
        return new Samples(generation.images(), requested, generation.facts());
    }

    /** {@code supplier}'s value, computed on first use only. */
    static <T> Supplier<T> once(Supplier<T> supplier) {
        List<T> value = new ArrayList<>(1);
        return () -> {
            if (value.isEmpty()) {
                value.add(supplier.get());
            }
            return value.get(0);
        };
    }
}
