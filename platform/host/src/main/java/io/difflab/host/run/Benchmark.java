package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SampleSettings;
import io.difflab.kit.engine.EngineSelfCheck;
import io.difflab.kit.engine.PeakMemory;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a spec's training step and sampling step on this machine through the real trainer
 * and sampler: mean milliseconds per step after warm-up, and the process's peak resident memory. A
 * model that generates nothing (CLIP) has its training step measured only.
 */
public final class Benchmark {

    /** The figures of one benchmark; the sampling step is NaN for a model that generates nothing. */
    public record Figures(String device, int threads, int trainBatch, double trainMillisPerStep,
                          int sampleBatch, double sampleMillisPerStep, long peakBytes) { }

    private Benchmark() {
    }

    public static Figures measure(ExperimentSpec spec, ExtensionRegistry registry, int warmup, int steps) {
        Components c = Components.resolve(registry, spec);
        Device device = Devices.resolve(spec.device());
        ImageDataset train = c.dataset().load(spec.dataset(), Split.TRAIN);
        int batch = Math.min(spec.sample().batchSize(), spec.sample().count());
        // one batch, sampled over warm-up + timed steps (for a diffusion model)
        Config sampler = spec.sampler();
        if (sampler != null) {
            Map<String, Object> samplerValues = new LinkedHashMap<>(sampler.asMap());
            samplerValues.put("steps", warmup + steps);
            sampler = new Config(sampler.path(), samplerValues);
        }
        SampleSettings s0 = spec.sample();
        ExperimentSpec timedSpec = new ExperimentSpec(spec.name(), spec.seed(), spec.device(), spec.model(),
                spec.dataset(), spec.schedule(), spec.estimator(), spec.train(), sampler, spec.guidance(),
                new SampleSettings(batch, batch, s0.labels(), s0.prompts(), s0.referenceImages()), spec.metrics(),
                spec.tracking());
        Model model = ModelAssembly.of(registry, timedSpec, train).model();
        TrainableNetwork primary = model.networks().stream().filter(TrainableNetwork::primary).findFirst()
                .orElseThrow(() -> new UserError("model '" + spec.model().getString("name")
                        + "' trains no network: there is no training step to measure"));
        Path scratch = scratchFolder();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            EngineSelfCheck.verify(manager);
            // the networks the primary one is trained after (a DALL-E's dVAE), initialized but untrained:
            // its objective and generation need them, and their weights do not change the timings
            Map<String, TrainedNetworks.Trained> before = new LinkedHashMap<>();
            for (TrainableNetwork n : model.networks().subList(0, model.networks().indexOf(primary))) {
                Networks.initialize(n, manager, spec.seed());
                before.put(n.name(), new TrainedNetworks.Trained(n.block(),
                        new TrainingSession(n.block(), manager).ema().parameterStore(manager)));
            }
            Networks.initialize(primary, manager, spec.seed());
            TrainingSession session = new TrainingSession(primary.block(), manager);
            TrainSettings t = spec.train();
            TrainSettings timed = new TrainSettings(warmup + steps, t.batchSize(), t.lr(), t.warmupSteps(),
                    t.gradClip(), t.emaDecay(), Integer.MAX_VALUE, Integer.MAX_VALUE);
            StepTimer trainTimer = new StepTimer();
            new Trainer(timed, List.of(trainTimer)).train(new TrainingJob(session, primary.objective(), train,
                    primary.conditions(), TrainedNetworks.of(before), spec.seed(), manager, new CheckpointStore(scratch, 1),
                    false, step -> new SeededNoiseSource(StepSeeds.mix(spec.seed(), step))));
            if (!model.generates()) {
                return new Figures(device.toString(), intraOpThreads(), t.batchSize(), trainTimer.meanMillis(steps),
                        0, Double.NaN, PeakMemory.residentBytes());
            }
            StepTimer sampleTimer = new StepTimer();
            Map<String, TrainedNetworks.Trained> all = new LinkedHashMap<>(before);
            all.put(primary.name(), new TrainedNetworks.Trained(primary.block(), session.ema().parameterStore(manager)));
            TrainedNetworks trained = TrainedNetworks.of(all);
            Map<String, List<Object>> requested = SampleRequests.of(model.sampleFields(), timedSpec.sample(),
                    DatasetInfo.of(train), DefaultRunPipeline.once(() -> c.dataset().load(spec.dataset(), Split.TEST)),
                    batch);
            model.generate(new GenerationRequest(manager, trained, requested, batch, batch, spec.seed(), sampleTimer));
            return new Figures(device.toString(), intraOpThreads(), t.batchSize(), trainTimer.meanMillis(steps),
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
