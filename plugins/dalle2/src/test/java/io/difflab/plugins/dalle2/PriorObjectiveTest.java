package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.transformer.Transformer;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prior's objective on a real shapes-captions batch against its closed form: z_i and z_t are CLIP's
 * features normalised to norm √E, z_i^(τ) = √ᾱ_τ z_i + √(1 − ᾱ_τ) ε with the batch's own τ and ε, the
 * loss is the mean of (f − z_i)² over the network's output, and dropped rows carry ∅ text (zero z_t, no tokens).
 */
class PriorObjectiveTest {

    private static final int N = 8;
    private static final long SEED = 42;

    @TempDir
    static Path work;

    private static ImageDataset train;
    private static FrozenClip clip;
    private static TokenEncoder captions;

    @BeforeAll
    static void setUp() throws Exception {
        train = TinyUnclip.shapes(work.resolve("shapes"), Split.TRAIN, 64);
        Path run = TinyUnclip.writeClipRun(work.resolve("clip-run"), train);
        clip = new FrozenClip(run.toString(), StandaloneAssembly.registry());
        captions = TokenEncoder.captions(clip.vocabulary());
    }

    @AfterAll
    static void tearDown() {
        clip.on(ai.djl.Device.cpu()).close();
    }

    @Test
    void lossIsTheMeanSquaredErrorOfTheDirectPredictionOfTheUnnoisedImageEmbedding() {
        DiffusionSchedule schedule = CosineSchedule.of(100);
        Map<String, NDArray> extra = new HashMap<>();
        NDList[] seen = new NDList[1];
        try (NDManager m = NDManager.newBaseManager()) {
            int[] indices = IntStream.range(0, N).toArray();
            NDArray images = train.images(m, indices);
            Condition condition = Condition.of(Map.of(Dalle2Model.CAPTION,
                    captions.entry(train.fieldValues("caption", indices), m)));
            DiffusionPrior prior = prior();
            prior.initialize(m, DataType.FLOAT32, prior.inputShapes());
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            PriorObjective objective = new PriorObjective(clip, schedule, 0.5);
            NDArray loss = objective.loss(new TrainingBatch(m, images, condition, new SeededNoiseSource(SEED),
                    TrainedNetworks.NONE), inputs -> {
                        seen[0] = inputs;
                        return new NDList(prior.predict(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3),
                                inputs.get(4), true));
                    }, extra);

            // replay the batch's draws in the objective's order: τ, ε, the dropout's uniforms
            SeededNoiseSource replay = new SeededNoiseSource(SEED);
            int[] tau = replay.randint(m, 100, N).toIntArray();
            float[] eps = replay.normal(m, new Shape(N, TinyUnclip.E)).toFloatArray();
            float[] u = replay.uniform(m, N).toFloatArray();

            LoadedClip loaded = clip.on(ai.djl.Device.cpu());
            float[] features = loaded.model().imageFeatures(images).toFloatArray();
            NDList tokens = captions.encode(train.fieldValues("caption", indices), m);
            float[] text = loaded.model().encodeText(tokens.get(0), tokens.get(1)).toFloatArray();
            float[] zi = scaled(features);
            float[] zt = scaled(text);

            float[] noised = seen[0].get(0).toFloatArray();
            float[] t = seen[0].get(1).toFloatArray();
            float[] givenText = seen[0].get(2).toFloatArray();
            int[] givenMask = seen[0].get(4).toType(DataType.INT32, false).toIntArray();
            int e = TinyUnclip.E;
            int dropped = 0;
            for (int i = 0; i < N; i++) {
                assertEquals(tau[i], t[i], 0.0, "the network reads τ");
                double a = schedule.alphaCumprod(tau[i]);
                boolean drop = u[i] < 0.5;
                dropped += drop ? 1 : 0;
                int maskSum = 0;
                for (int l = 0; l < TinyUnclip.CONTEXT; l++) {
                    maskSum += givenMask[i * TinyUnclip.CONTEXT + l];
                }
                assertEquals(drop, maskSum == 0, "row " + i + ": tokens ∅ exactly when dropped");
                for (int j = 0; j < e; j++) {
                    int k = i * e + j;
                    assertEquals(Math.sqrt(a) * zi[k] + Math.sqrt(1 - a) * eps[k], noised[k], 1e-5, "z_i^τ");
                    assertEquals(drop ? 0.0 : zt[k], givenText[k], 1e-5, "z_t or ∅");
                }
            }
            assertTrue(dropped > 0 && dropped < N, "p_uncond 0.5 drops some rows of 8: " + dropped);
            assertEquals(dropped / (double) N, extra.get("train.dropped").getFloat(), 1e-6);

            float[] predicted = prior.predict(ps, seen[0].get(0), seen[0].get(1), seen[0].get(2), seen[0].get(3),
                    seen[0].get(4), false).toFloatArray();
            double sum = 0;
            for (int k = 0; k < predicted.length; k++) {
                sum += (predicted[k] - zi[k]) * (predicted[k] - zi[k]);
            }
            assertEquals(sum / predicted.length, loss.getFloat(), 1e-5, "L_prior = mean (f - z_i)^2");
            double norm = 0;
            for (int j = 0; j < e; j++) {
                norm += zi[j] * zi[j];
            }
            assertEquals(e, norm, 1e-3, "‖z_i‖² = E");
            double variance = 0;
            for (int j = 0; j < e; j++) {
                double mean = 0;
                for (int i = 0; i < N; i++) {
                    mean += zi[i * e + j] / N;
                }
                for (int i = 0; i < N; i++) {
                    variance += (zi[i * e + j] - mean) * (zi[i * e + j] - mean) / N / e;
                }
            }
            assertEquals(variance, extra.get("train.embedding_variance").getFloat(), 1e-5);
        }
    }

    /**
     * A training step of the prior (the objective, then backward, in a step manager that closes) leaves no
     * array behind on the prior's parameters or the frozen CLIP's weights: 8000 steps of experiments/dalle2-shapes
     * grew a process to 23 GB when each step left a few MB there.
     */
    @Test
    void aTrainingStepLeavesNoArrayOnTheParametersOrTheClip() {
        DiffusionSchedule schedule = CosineSchedule.of(100);
        try (NDManager m = NDManager.newBaseManager()) {
            DiffusionPrior prior = prior();
            prior.initialize(m, DataType.FLOAT32, prior.inputShapes());
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            PriorObjective objective = new PriorObjective(clip, schedule, 0.5);
            ai.djl.ndarray.BaseNDManager weights = (ai.djl.ndarray.BaseNDManager) clip.on(ai.djl.Device.cpu())
                    .resources().get(0);
            int[] counts = new int[4];
            for (int step = 0; step < 3; step++) {
                try (NDManager sub = m.newSubManager();
                     ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance()
                             .newGradientCollector()) {
                    int[] indices = IntStream.range(step * N, step * N + N).toArray();
                    Condition condition = Condition.of(Map.of(Dalle2Model.CAPTION,
                            captions.entry(train.fieldValues("caption", indices), sub)));
                    NDArray loss = objective.loss(new TrainingBatch(sub, train.images(sub, indices), condition,
                            new SeededNoiseSource(step), TrainedNetworks.NONE), inputs -> new NDList(prior.predict(ps,
                            inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), inputs.get(4), true)),
                            new HashMap<>());
                    collector.backward(loss);
                }
                counts[step == 0 ? 0 : 2] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
                counts[step == 0 ? 1 : 3] = weights.getManagedArrays().size();
            }
            assertEquals(counts[0], counts[2], "arrays on the prior's manager after steps 1 and 3");
            assertEquals(counts[1], counts[3], "arrays on the CLIP's manager after steps 1 and 3");
        }
    }

    /** √E·f/‖f‖ per row of E on plain arrays. */
    private static float[] scaled(float[] features) {
        int e = TinyUnclip.E;
        float[] out = new float[features.length];
        for (int i = 0; i < features.length / e; i++) {
            double norm = 0;
            for (int j = 0; j < e; j++) {
                norm += features[i * e + j] * features[i * e + j];
            }
            for (int j = 0; j < e; j++) {
                out[i * e + j] = (float) (Math.sqrt(e) * features[i * e + j] / Math.sqrt(norm));
            }
        }
        return out;
    }

    static DiffusionPrior prior() {
        return new DiffusionPrior(captions.vocabulary().size(), captions.vocabulary().contextLength(), TinyUnclip.E,
                Transformer.builder().setWidth(16).setLayers(1).setHeads(2).build());
    }
}
