package io.difflab.plugins.cfdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.GuidanceContext;
import io.difflab.api.ImageDataset;
import io.difflab.api.SamplingRequest;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.VarianceType;
import io.difflab.datasets.fashionmnist.FashionMnistProvider;
import io.difflab.kit.guidance.ClassifierFreeGuidance;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.sampling.DdimSampler;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.TimestepSpacing;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classifier-free guidance measured on a tiny trained model: a small U-Net trained for a few
 * hundred steps with label dropout on trousers (1) and sneakers (7) of Fashion-MNIST at 14×14,
 * then sampled at several guidance scales from the same noise. The fraction of samples that a
 * classifier fitted on the training images assigns to the requested class must rise with s.
 */
class CfdgGuidanceIT {

    private static final int[] CLASSES = {1, 7};
    private static final long SEED = 0;
    private static final int TRAIN_STEPS = 250;
    private static final int SAMPLES = 64;
    private static final int SAMPLING_STEPS = 25;

    @TempDir
    Path checkpoints;

    @Test
    void condAccuracyRisesWithTheGuidanceScale() {
        FashionMnistProvider provider = new FashionMnistProvider();
        Config dataset = new Config("dataset", Map.of("folder", "", "limit", 0, "classes", List.of(1, 7)));
        ImageDataset train = new HalfResolution(provider.load(dataset, Split.TRAIN));
        ImageDataset test = new HalfResolution(provider.load(dataset, Split.TEST));
        NearestClassMean classifier = new NearestClassMean(train, CLASSES);
        double classifierAccuracy = classifier.accuracy(test);
        assertTrue(classifierAccuracy > 0.95, "the classifier tells the classes apart: " + classifierAccuracy);

        DiffusionModel model = (DiffusionModel) StandaloneAssembly.assemble(new CfdgFamily(), DatasetInfo.of(train),
                Map.of("model.p_uncond", 0.2, "estimator.base_channels", 16, "estimator.channel_mult", List.of(1, 2),
                        "estimator.num_res_blocks", 1, "estimator.attention_resolutions", List.of()));
        DiffusionSchedule schedule = model.schedule();
        EstimatorNetwork network = model.estimator();
        TrainableNetwork estimator = model.networks().get(0);

        Map<Double, Double> accuracy = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(1);
            estimator.block().initialize(manager, DataType.FLOAT32, estimator.inputShapes());
            TrainingSession session = new TrainingSession(estimator.block(), manager);
            TrainSettings settings = new TrainSettings(TRAIN_STEPS, 32, 1e-3, 50, 1.0, 0.99, 50, TRAIN_STEPS);
            long started = System.nanoTime();
            new Trainer(settings, List.of()).train(new TrainingJob(session, estimator.objective(),
                    train, estimator.conditions(), TrainedNetworks.NONE, SEED, manager,
                    new CheckpointStore(checkpoints, 1), false,
                    step -> new SeededNoiseSource(StepSeeds.mix(SEED, step))));
            System.out.printf("trained %d steps in %.1f s%n", TRAIN_STEPS, (System.nanoTime() - started) / 1e9);

            DiffusionSchedule respaced = schedule.respace(TimestepSpacing.evenly(1000, SAMPLING_STEPS));
            Denoiser base = new EstimatorDenoiser(network, session.ema().parameterStore(manager), respaced);
            for (double s : new double[] {0.0, 1.0, 3.0}) {
                try (NDManager sub = manager.newSubManager()) {
                    int[] requested = new int[SAMPLES];
                    for (int i = 0; i < SAMPLES; i++) {
                        requested[i] = CLASSES[i % CLASSES.length];
                    }
                    ClassifierFreeGuidance head = new ClassifierFreeGuidance();
                    Denoiser guided = head.wrap(base, new GuidanceContext(Config.of("guidance", head.options(),
                            Map.of("scale", s)), respaced, TrainedNetworks.NONE, manager.getDevice()));
                    long t0 = System.nanoTime();
                    NDArray x = new DdimSampler().sample(new SamplingRequest(sub, respaced, guided,
                            VarianceType.FIXED_SMALL, train.shape().batch(SAMPLES),
                            Condition.labels(sub.create(requested)), new SeededNoiseSource(StepSeeds.mix(SEED, -1)),
                            Config.of("sampler", new DdimSampler().options(), Map.of()), null));
                    float[] images = x.clip(-1, 1).toFloatArray();
                    int per = train.shape().size();
                    int correct = 0;
                    for (int i = 0; i < SAMPLES; i++) {
                        correct += classifier.classify(images, i * per) == requested[i] ? 1 : 0;
                    }
                    accuracy.put(s, correct / (double) SAMPLES);
                    System.out.printf("s = %.1f: cond-accuracy %.3f (sampled in %.1f s)%n", s, correct / (double) SAMPLES,
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        assertTrue(accuracy.get(1.0) > accuracy.get(0.0), "conditioning helps: " + accuracy);
        assertTrue(accuracy.get(3.0) >= accuracy.get(1.0), "guidance helps further: " + accuracy);
    }
}
