package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.kit.engine.EngineSelfCheck;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Measures a spec's training step and sampling step on this machine through the real trainer
 * and sampler: mean milliseconds per step after warm-up, and the process's peak resident memory.
 */
public final class Benchmark {

    /** The figures of one benchmark. */
    public record Figures(String device, int threads, int trainBatch, double trainMillisPerStep,
                          int sampleBatch, double sampleMillisPerStep, long peakBytes) { }

    private Benchmark() {
    }

    public static Figures measure(ExperimentSpec spec, ExtensionRegistry registry, int warmup, int steps) {
        Components c = Components.resolve(registry, spec);
        Device device = Devices.resolve(spec.device());
        ImageDataset train = c.dataset().load(spec.dataset(), Split.TRAIN);
        Path scratch = scratchFolder();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            EngineSelfCheck.verify(manager);
            DiffusionSchedule schedule = c.schedule().build(spec.timesteps(), spec.schedule());
            EstimatorNetwork network = c.estimator().build(spec.estimator(),
                    c.family().estimatorSpec(spec.model(), train.shape(), train.numClasses()));
            Networks.initialize(network, manager, spec.seed());
            TrainingSession session = new TrainingSession(network.block(), manager);
            TrainSettings s = spec.train();
            TrainSettings timed = new TrainSettings(warmup + steps, s.batchSize(), s.lr(), s.warmupSteps(),
                    s.gradClip(), s.emaDecay(), Integer.MAX_VALUE, Integer.MAX_VALUE);
            StepTimer trainTimer = new StepTimer();
            new Trainer(timed, List.of(trainTimer)).train(new TrainingJob(session,
                    c.family().objective(spec.model(), schedule, network.spec()), train,
                    network.spec().conditional(), spec.seed(),
                    manager, new CheckpointStore(scratch, 1), false,
                    step -> new SeededNoiseSource(StepSeeds.mix(spec.seed(), step))));
            StepTimer sampleTimer = new StepTimer();
            int batch = Math.min(spec.sample().batchSize(), spec.sample().count());
            new SampleGenerator(sampleTimer).generate(new SamplingPlan(manager, schedule, warmup + steps, network,
                    session.ema().parameterStore(manager), c.sampler(), spec.sampler(),
                    DefaultRunPipeline.varianceType(spec.sampler().getString("variance"), network), c.guidance(),
                    spec.guidance(), Map.of(), batch, batch, network.spec().numClasses(), spec.seed()));
            return new Figures(device.toString(), intraOpThreads(), s.batchSize(), trainTimer.meanMillis(steps),
                    batch, sampleTimer.meanMillis(steps), PeakMemory.residentBytes());
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** PyTorch's intra-op threads: DJL's property when set, else the cores. */
    private static int intraOpThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    private static Path scratchFolder() {
        try {
            return Files.createTempDirectory("difflab-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
