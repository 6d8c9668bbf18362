package io.difflab.plugins.gd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.difflab.api.AuxiliaryNetwork;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.GuidanceContext;
import io.difflab.api.ImageDataset;
import io.difflab.api.SamplingRequest;
import io.difflab.api.TrainingObjective;
import io.difflab.api.VarianceType;
import io.difflab.kit.guidance.ClassifierGuidance;
import io.difflab.kit.nn.UNetEstimator;
import io.difflab.kit.sampling.AncestralSampler;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingListener;
import io.difflab.kit.train.TrainingSession;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny guided-diffusion setup for integration tests, built from the real pieces: the gd
 * family's L_hybrid on a small ADM U-Net and its noise-aware classifier, both trained by the
 * host's trainer, then ancestral sampling with the learned variance and classifier guidance.
 */
final class TinyGuidedSetup {

    private final EstimatorNetwork network;
    private final TrainingSession estimator;
    private final Block classifier;
    private final DiffusionSchedule schedule;
    private final long seed;

    private TinyGuidedSetup(EstimatorNetwork network, TrainingSession estimator, Block classifier,
                            DiffusionSchedule schedule, long seed) {
        this.network = network;
        this.estimator = estimator;
        this.classifier = classifier;
        this.schedule = schedule;
        this.seed = seed;
    }

    /** A small ADM U-Net section: base 8, two levels plus one, attention at 7 pixels, no dropout. */
    static Config tinyAdmUNet(int baseChannels) {
        Map<String, Object> values = new LinkedHashMap<>();
        new UNetEstimator().options().forEach(o -> values.put(o.key(), o.defaultValue()));
        new GdFamily().defaults().forEach((k, v) -> {
            if (k.startsWith("estimator.") && !k.equals("estimator.name")) {
                values.put(k.substring("estimator.".length()), v);
            }
        });
        values.put("base_channels", baseChannels);
        values.put("channel_mult", List.of(1, 2, 2));
        values.put("num_res_blocks", 1);
        values.put("attention_resolutions", List.of(7));
        values.put("num_head_channels", baseChannels);
        values.put("dropout", 0.0);
        return new Config("estimator", values);
    }

    /** Trains the estimator for {@code steps} and the family's classifier for its own steps. */
    static TinyGuidedSetup train(NDManager manager, ImageDataset data, Config model, Config unet, int steps,
                                 int batchSize, double lr, long seed, Path checkpoints) {
        GdFamily gd = new GdFamily();
        DiffusionSchedule schedule = new CosineSchedule().build(1000, Config.empty("schedule"));
        EstimatorNetwork net = new UNetEstimator().build(unet, gd.estimatorSpec(model, data.shape(), data.numClasses()));
        net.block().initialize(manager, DataType.FLOAT32, data.shape().batch(1), new Shape(1));
        TrainingSession estimator = fit(manager, net.block(), gd.objective(model, schedule), data, false,
                new TrainSettings(steps, batchSize, lr, 20, 1.0, 0.99, 50, steps), seed, checkpoints, "estimator");
        AuxiliaryNetwork aux = gd.auxiliaryNetworks(model, schedule, data.shape(), data.numClasses()).get(0);
        aux.block().initialize(manager, DataType.FLOAT32, aux.inputShapes());
        fit(manager, aux.block(), aux.objective(), data, true,
                new TrainSettings((int) aux.steps(), 2 * batchSize, lr, 20, 1.0, 0.99, 50, (int) aux.steps()), seed,
                checkpoints, "classifier");
        return new TinyGuidedSetup(net, estimator, aux.block(), schedule, seed);
    }

    private static TrainingSession fit(NDManager manager, Block block, TrainingObjective objective,
                                       ImageDataset data, boolean labeled, TrainSettings settings, long runSeed,
                                       Path checkpoints, String name) {
        TrainingSession session = new TrainingSession(block, manager);
        long seed = runSeed ^ name.hashCode();
        TrainingListener log = new TrainingListener() {
            @Override
            public void onReport(long step, Map<String, Double> metrics) {
                System.out.println(name + " step " + step + ": " + metrics);
            }
        };
        new Trainer(settings, List.of(log)).train(new TrainingJob(session, objective, data, labeled, seed, manager,
                new CheckpointStore(checkpoints.resolve(name), 1), false,
                step -> new SeededNoiseSource(StepSeeds.mix(seed, step))));
        return session;
    }

    /** Samples one image per label with guidance scale {@code scale}, in {@code manager}. */
    NDArray sample(NDManager manager, int[] labels, double scale, int steps) {
        DiffusionSchedule respaced = schedule.respace(TimestepSpacing.evenly(schedule.timesteps(), steps));
        Denoiser base = new EstimatorDenoiser(network, estimator.ema().parameterStore(manager), respaced);
        Denoiser guided = new ClassifierGuidance().wrap(base, new GuidanceContext(
                new Config("guidance", Map.of("scale", scale)), respaced, Map.of("classifier", classifier),
                manager.getDevice()));
        return new AncestralSampler().sample(new SamplingRequest(manager, respaced, guided,
                VarianceType.LEARNED_RANGE, new Shape(labels.length, 1, 28, 28),
                Condition.labels(manager.create(labels)), new SeededNoiseSource(seed), Config.empty("sampler"), null));
    }

    /** The share of samples, one per label, that {@code judge} assigns to their requested label. */
    double condAccuracy(NDManager manager, int[] labels, double scale, int steps, NearestCentroid judge) {
        try (NDManager sub = manager.newSubManager()) {
            float[] pixels = sample(sub, labels, scale, steps).toFloatArray();
            int per = pixels.length / labels.length;
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += judge.classify(pixels, i * per) == labels[i] ? 1 : 0;
            }
            return (double) right / labels.length;
        }
    }
}
