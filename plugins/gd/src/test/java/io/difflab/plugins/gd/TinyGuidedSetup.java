package io.difflab.plugins.gd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.GuidanceContext;
import io.difflab.api.ImageDataset;
import io.difflab.api.SamplingRequest;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.VarianceType;
import io.difflab.kit.guidance.ClassifierGuidance;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.sampling.AncestralSampler;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
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

    /** A small ADM U-Net over the family's defaults: base {@code baseChannels}, three levels, attention at 7. */
    static Map<String, Object> tinyAdmUNet(int baseChannels) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("estimator.base_channels", baseChannels);
        values.put("estimator.channel_mult", List.of(1, 2, 2));
        values.put("estimator.num_res_blocks", 1);
        values.put("estimator.attention_resolutions", List.of(7));
        values.put("estimator.num_head_channels", baseChannels);
        values.put("estimator.dropout", 0.0);
        return values;
    }

    /**
     * Trains the gd model's estimator for {@code steps} and its classifier for its own steps.
     *
     * @param values model and estimator settings as dotted keys over the family's defaults
     */
    static TinyGuidedSetup train(NDManager manager, ImageDataset data, Map<String, Object> values, int steps,
                                 int batchSize, double lr, long seed, Path checkpoints) {
        DiffusionModel model = (DiffusionModel) StandaloneAssembly.assemble(new GdFamily(), DatasetInfo.of(data),
                values);
        TrainableNetwork net = model.networks().get(0);
        net.block().initialize(manager, DataType.FLOAT32, net.inputShapes());
        TrainingSession estimator = fit(manager, net, data,
                new TrainSettings(steps, batchSize, lr, 20, 1.0, 0.99, 50, steps), seed, checkpoints);
        TrainableNetwork aux = model.networks().get(1);
        aux.block().initialize(manager, DataType.FLOAT32, aux.inputShapes());
        fit(manager, aux, data, new TrainSettings((int) aux.steps(), 2 * batchSize, lr, 20, 1.0, 0.99, 50,
                (int) aux.steps()), seed, checkpoints);
        return new TinyGuidedSetup(model.estimator(), estimator, aux.block(), model.schedule(), seed);
    }

    private static TrainingSession fit(NDManager manager, TrainableNetwork network, ImageDataset data,
                                       TrainSettings settings, long runSeed, Path checkpoints) {
        String name = network.name();
        TrainingSession session = new TrainingSession(network.block(), manager);
        long seed = runSeed ^ name.hashCode();
        TrainingListener log = new TrainingListener() {
            @Override
            public void onReport(long step, Map<String, Double> metrics) {
                System.out.println(name + " step " + step + ": " + metrics);
            }
        };
        new Trainer(settings, List.of(log)).train(new TrainingJob(session, network.objective(), data,
                network.conditions(), TrainedNetworks.NONE, seed, manager,
                new CheckpointStore(checkpoints.resolve(name), 1), false,
                step -> new SeededNoiseSource(StepSeeds.mix(seed, step))));
        return session;
    }

    /** Samples one image per label with guidance scale {@code scale}, in {@code manager}. */
    NDArray sample(NDManager manager, int[] labels, double scale, int steps) {
        DiffusionSchedule respaced = schedule.respace(TimestepSpacing.evenly(schedule.timesteps(), steps));
        Denoiser base = new EstimatorDenoiser(network, estimator.ema().parameterStore(manager), respaced);
        ClassifierGuidance head = new ClassifierGuidance();
        Denoiser guided = head.wrap(base, new GuidanceContext(Config.of("guidance", head.options(),
                Map.of("scale", scale)), respaced, TrainedNetworks.of(Map.of("classifier",
                new TrainedNetworks.Trained(classifier, null))), manager.getDevice()));
        return new AncestralSampler().sample(new SamplingRequest(manager, respaced, guided,
                VarianceType.LEARNED_RANGE, new Shape(labels.length, 1, 28, 28),
                Condition.labels(manager.create(labels)), new SeededNoiseSource(seed),
                Config.of("sampler", new AncestralSampler().options(), Map.of()), null));
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
