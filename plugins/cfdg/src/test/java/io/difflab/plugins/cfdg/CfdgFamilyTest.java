package io.difflab.plugins.cfdg;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Option;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.UNet;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CfdgFamilyTest {

    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);
    private static final int CLASSES = 10;
    private static final DatasetInfo LABELED = new DatasetInfo(SHAPE, Collections.nCopies(CLASSES, "c"),
            Map.of("label", Integer.class));
    private final CfdgFamily cfdg = new CfdgFamily();

    private DiffusionModel model(double pUncond, DatasetInfo data) {
        return (DiffusionModel) StandaloneAssembly.assemble(cfdg, data, Map.of("model.p_uncond", pUncond,
                "estimator.base_channels", 8, "estimator.attention_resolutions", List.of()));
    }

    private TrainingObjective objective(double pUncond) {
        return model(pUncond, LABELED).networks().get(0).objective();
    }

    @Test
    void defaultsAreDdpmsWithClassifierFreeGuidance() {
        Map<String, Object> defaults = cfdg.defaults();
        assertEquals("linear", defaults.get("schedule.name"));
        assertEquals(1000, defaults.get("schedule.timesteps"));
        assertEquals("unet", defaults.get("estimator.name"));
        assertEquals("ancestral", defaults.get("sampler.name"));
        assertEquals("classifier-free", defaults.get("guidance.name"));
        assertEquals("cfdg", cfdg.name());
        Option pUncond = cfdg.options().get(0);
        assertEquals("p_uncond", pUncond.key());
        assertEquals(0.1, pUncond.defaultValue());
        assertEquals(0.0, pUncond.min());
        assertEquals(1.0, pUncond.max());
    }

    @Test
    void theEstimatorIsConditionalOnTheDatasetsClassesAndSamplesAskForLabels() {
        DiffusionModel model = model(0.1, LABELED);
        EstimatorSpec spec = model.estimator().spec();
        assertTrue(spec.conditional());
        assertEquals(CLASSES, spec.numClasses());
        assertFalse(spec.learnsVariance());
        assertEquals(List.of("label"), model.networks().get(0).conditions().stream().map(ConditionEncoder::field)
                .toList());
        assertEquals(Set.of("label"), model.sampleFields());
        UserError unlabeled = assertThrows(UserError.class,
                () -> model(0.1, new DatasetInfo(SHAPE, List.of(), Map.of())));
        assertTrue(unlabeled.getMessage().contains("no labels"), unlabeled.getMessage());
    }

    @Test
    void labelsAreDroppedToTheNullLabelAtRatePUncond() {
        for (double p : new double[] {0.1, 0.3}) {
            TrainingObjective objective = objective(p);
            SeededNoiseSource noise = new SeededNoiseSource(5);
            int batches = 300;
            int batchSize = 32;
            long dropped = 0;
            double loggedSum = 0;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int b = 0; b < batches; b++) {
                    try (NDManager step = manager.newSubManager()) {
                        int[] given = new int[batchSize];
                        for (int i = 0; i < batchSize; i++) {
                            given[i] = (b + i) % CLASSES;
                        }
                        int[][] seen = new int[1][];
                        Map<String, NDArray> extra = new HashMap<>();
                        objective.loss(new TrainingBatch(step, step.zeros(SHAPE.batch(batchSize)), step.create(given),
                                noise), in -> {
                                    seen[0] = in.get(2).toIntArray();
                                    return new NDList(in.get(0).zerosLike());
                                }, extra);
                        for (int i = 0; i < batchSize; i++) {
                            if (seen[0][i] == Condition.NULL_LABEL) {
                                dropped++;
                            } else {
                                assertEquals(given[i], seen[0][i], "a kept label is unchanged");
                            }
                        }
                        loggedSum += extra.get("train.dropped").getFloat() * batchSize;
                    }
                }
            }
            double n = (double) batches * batchSize;
            // within four standard deviations of a Binomial(n, p) proportion
            assertEquals(p, dropped / n, 4 * Math.sqrt(p * (1 - p) / n), "p_uncond " + p);
            assertEquals(dropped, loggedSum, 1e-3, "train.dropped logs the batch's dropped fraction");
        }
    }

    @Test
    void aZeroPredictorLosesTheExpectedSquaredNoiseOfOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = 16 * 16 * 16;
            TrainingBatch batch = new TrainingBatch(manager, manager.zeros(new Shape(16, 1, 16, 16)),
                    manager.zeros(new Shape(16), DataType.INT32), new SeededNoiseSource(1));
            NDArray loss = objective(0.1).loss(batch, in -> new NDList(in.get(0).zerosLike()), new HashMap<>());
            // E‖ε − 0‖² = 1 per dimension (Ho et al. 2020, eq. 14)
            assertEquals(1.0, loss.getFloat(), 4 * Math.sqrt(2.0 / n));
        }
    }

    @Test
    void theLossReachesTheUNetsClassEmbedding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet unet = UNet.builder().setImageShape(SHAPE).optNumClasses(CLASSES).optBaseChannels(8)
                    .optChannelMult(List.of(1)).optNumResBlocks(1).optAttentionResolutions(List.of()).build();
            // the zero-initialised output layers would stop every gradient at the first step
            unet.setInitializer(new NormalInitializer(0.1f), p -> p.getInitializer() == Initializer.ZEROS);
            unet.initialize(manager, DataType.FLOAT32, SHAPE.batch(1), new Shape(1), new Shape(1));
            ParameterStore parameters = new ParameterStore(manager, false);
            SeededNoiseSource noise = new SeededNoiseSource(0);
            try (NDManager step = manager.newSubManager()) {
                NDArray images = noise.uniform(step, 4 * 64).mul(2).sub(1).reshape(SHAPE.batch(4));
                TrainingBatch batch = new TrainingBatch(step, images, step.create(new int[] {0, 3, 9, 3}), noise);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = objective(0.5).loss(batch, in -> unet.forward(parameters, in, true), new HashMap<>());
                    assertTrue(loss.getShape().isScalar());
                    assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0);
                    collector.backward(loss);
                }
                NDArray table = unet.getParameters().stream().filter(p -> p.getKey().contains("class_embedding"))
                        .findFirst().orElseThrow().getValue().getArray();
                float gradient = table.getGradient().abs().sum().getFloat();
                assertTrue(Float.isFinite(gradient) && gradient > 0, "gradient " + gradient);
            }
        }
    }

    @Test
    void theFamilyIsListedAsAnExtension() throws IOException {
        boolean found = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                found |= new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(CfdgFamily.class.getName());
            }
        }
        assertTrue(found);
    }
}
