package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.difflab.api.AuxiliaryNetwork;
import io.difflab.api.DiffusionSchedule;

import io.difflab.api.EstimatorNetwork;
import io.difflab.api.GuidanceHead;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;
import io.difflab.api.RunContext;
import io.difflab.api.Split;
import io.difflab.api.TrainingObjective;
import io.difflab.api.VarianceType;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.kit.engine.EngineSelfCheck;
import io.difflab.host.inject.RunContextHolder;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.kit.train.TrainingSession;
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
 * A run, as DESIGN.md's data flow: components from the registry, training (or resuming) the
 * estimator and the family's auxiliary networks, sampling with the EMA weights, the metrics, and
 * everything recorded to the tracker; the run ends FINISHED, or FAILED with its reason.
 */
@Singleton
public final class DefaultRunPipeline implements RunPipeline {

    private final ExtensionRegistry registry;
    private final Progress.Factory progress;
    private final RunContextHolder runs;
    private final TrackerSource trackers;
    private final PluginManager plugins;

    @Inject
    public DefaultRunPipeline(ExtensionRegistry registry, Progress.Factory progress, RunContextHolder runs,
                              Optional<TrackerSource> trackers, PluginManager plugins) {
        this.registry = registry;
        this.progress = progress;
        this.runs = runs;
        this.trackers = TrackerSources.require(trackers);
        this.plugins = plugins;
    }

    @Override
    public int run(ExperimentSpec spec, RunOptions options) {
        Components components = Components.resolve(registry, spec);
        String trainingKey = TrainingKey.of(spec);
        if (options.trainedFrom() != null) {
            TrainedModel.linkInto(options.trainedFrom(), options.runDir(), trainingKey);
        }
        Device device = Devices.resolve(spec.device());
        RunContext context = new RunContext(options.runDir().getFileName().toString(), spec.seed(), device,
                options.runDir());
        ImageDataset train = components.dataset().load(spec.dataset(), Split.TRAIN);
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
                Map<String, Double> results = execute(spec, options, components, train, manager, context, tracked,
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

    private Map<String, Double> execute(ExperimentSpec spec, RunOptions options, Components c, ImageDataset train,
                                        NDManager manager, RunContext context, TrackedRun tracked,
                                        String trainingKey) {
        DiffusionSchedule schedule = c.schedule().build(spec.timesteps(), spec.schedule());
        EstimatorNetwork network = c.estimator().build(spec.estimator(),
                c.family().estimatorSpec(spec.model(), train.shape(), train.numClasses()));
        List<AuxiliaryNetwork> auxiliaryNetworks = c.family().auxiliaryNetworks(spec.model(), schedule, train.shape(),
                train.numClasses());
        Supplier<ImageDataset> test = once(() -> c.dataset().load(spec.dataset(), Split.TEST));
        TrainingStage stage = new TrainingStage(progress, tracked, manager, spec.seed(),
                options.continuesTraining());
        TrainingObjective objective = c.family().objective(spec.model(), schedule, network.spec());
        // during training the auxiliary networks (e.g. gd's classifier) do not exist yet: guidance
        // that needs them is left out of those evaluations
        GuidanceHead duringTraining = auxiliaryNetworks.isEmpty() ? c.guidance() : registry.get(GuidanceHead.class, "none");
        TrainingSession session = stage.estimator(network, objective, train, spec.train(), options.runDir(),
                s -> List.of(new PeriodicEvaluation(spec.train().evalEvery(), step -> {
                    try (NDManager sub = manager.newSubManager()) {
                        ParameterStore ema = s.ema().parameterStore(sub);
                        SampleGenerator.Samples samples = draw(spec, c, sub, schedule, network, ema, duringTraining,
                                Map.of(), spec.train().evalSamples(), network.spec().numClasses());
                        EvaluationStage.evaluate(c.metrics(), spec.metrics(), samples, train, test, schedule,
                                new EstimatorDenoiser(network, ema, schedule), context, tracked, step);
                    }
                })));
        Map<String, ai.djl.nn.Block> auxiliary = new LinkedHashMap<>();
        boolean labeledAuxiliary = false;
        for (AuxiliaryNetwork aux : auxiliaryNetworks) {
            auxiliary.put(aux.name(), stage.auxiliary(aux, train, spec.train(), options.runDir()).block());
            labeledAuxiliary |= aux.labeled();
        }
        // an unconditional estimator with a classifier (gd) samples per class all the same: the guidance steers
        // toward the requested labels, and unguided samples get the same labels for cond-accuracy's baseline
        int sampleClasses = network.spec().numClasses() > 0 ? network.spec().numClasses()
                : labeledAuxiliary ? train.numClasses() : 0;
        TrainedModel.record(options.runDir(), trainingKey);
        ParameterStore ema = session.ema().parameterStore(manager);
        SampleGenerator.Samples samples = draw(spec, c, manager, schedule, network, ema, c.guidance(), auxiliary,
                spec.sample().count(), sampleClasses);
        RunArtifacts artifacts = new RunArtifacts(options.runDir());
        artifacts.writeSamples(samples.images(), samples.requestedLabels());
        tracked.logArtifact(artifacts.grid(), "");
        tracked.logArtifact(artifacts.samples(), "");
        long step = spec.train().steps();
        tracked.logMetrics(samples.facts(), step);
        Map<String, Double> results = new LinkedHashMap<>(samples.facts());
        results.putAll(EvaluationStage.evaluate(c.metrics(), spec.metrics(), samples, train, test, schedule,
                new EstimatorDenoiser(network, ema, schedule), context, tracked, step));
        return results;
    }

    /** {@code count} samples with the spec's sampler, the given weights and guidance head, cycling through {@code numClasses} labels. */
    private SampleGenerator.Samples draw(ExperimentSpec spec, Components c, NDManager manager,
                                         DiffusionSchedule schedule, EstimatorNetwork network, ParameterStore weights,
                                         GuidanceHead guidance, Map<String, ai.djl.nn.Block> auxiliary, int count,
                                         int numClasses) {
        return new SampleGenerator(progress).generate(new SamplingPlan(manager, schedule,
                spec.sampler().getInt("steps"), network, weights, c.sampler(), spec.sampler(),
                varianceType(spec.sampler().getString("variance"), network), guidance, spec.guidance(), auxiliary,
                count, Math.min(count, spec.sample().batchSize()), numClasses, spec.seed()));
    }

    /** {@code supplier}'s value, computed on first use only. */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        List<T> value = new ArrayList<>(1);
        return () -> {
            if (value.isEmpty()) {
                value.add(supplier.get());
            }
            return value.get(0);
        };
    }

    /** {@code auto}: learned when the network predicts it, else β_t as in DDPM. */
    static VarianceType varianceType(String name, EstimatorNetwork network) {
        return switch (name) {
            case "fixed_small" -> VarianceType.FIXED_SMALL;
            case "fixed_large" -> VarianceType.FIXED_LARGE;
            case "learned" -> VarianceType.LEARNED_RANGE;
            default -> network.spec().learnsVariance() ? VarianceType.LEARNED_RANGE : VarianceType.FIXED_LARGE;
        };
    }
}
