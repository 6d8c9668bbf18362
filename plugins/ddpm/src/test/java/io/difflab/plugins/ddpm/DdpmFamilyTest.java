package io.difflab.plugins.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Progress;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.ImageShape;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.api.VarianceType;
import io.difflab.kit.diffusion.LossSecondMomentSampler;
import io.difflab.kit.diffusion.SimpleLossObjective;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class DdpmFamilyTest {

    private static final DatasetInfo DATA = new DatasetInfo(new ImageShape(1, 28, 28), List.of("a", "b"),
            Map.of("label", Integer.class));

    private final DdpmFamily ddpm = new DdpmFamily();

    private DiffusionModel model() {
        return (DiffusionModel) StandaloneAssembly.assemble(ddpm, DATA, Map.of("estimator.base_channels", 8));
    }

    private TrainingObjective objective() {
        return model().networks().get(0).objective();
    }

    @Test
    void defaultsAreThoseOfThePaper() {
        Map<String, Object> defaults = ddpm.defaults();
        assertEquals("linear", defaults.get("schedule.name"));
        assertEquals(1000, defaults.get("schedule.timesteps"));
        assertEquals("unet", defaults.get("estimator.name"));
        assertEquals("ancestral", defaults.get("sampler.name"));
        assertEquals("fixed_large", defaults.get("sampler.variance"));
        assertEquals("ddpm", ddpm.name());
    }

    @Test
    void theEstimatorIsUnconditionalWithAFixedVarianceAndTheOnlyNetwork() {
        DiffusionModel model = model();
        EstimatorSpec spec = model.estimator().spec();
        assertEquals(List.of("estimator"), model.networks().stream().map(TrainableNetwork::name).toList());
        assertTrue(model.networks().get(0).primary());
        assertEquals(Set.of(), model.sampleFields(), "a labeled dataset, yet DDPM samples unconditionally");
        assertEquals(VarianceType.FIXED_LARGE, model.varianceType());
        assertEquals(1000, model.schedule().timesteps());
        assertFalse(spec.conditional());
        assertFalse(spec.learnsVariance());
        assertEquals(1, spec.outputChannels());
    }

    @Test
    void objectiveIsAFiniteScalarThatTrainsATinyBlock() {
        TrainingObjective objective = objective();
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyEstimator block = new TinyEstimator(1);
            block.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8), new Shape(4));
            ParameterStore parameters = new ParameterStore(manager, false);
            SeededNoiseSource noise = new SeededNoiseSource(0);
            try (NDManager step = manager.newSubManager()) {
                NDArray images = noise.uniform(step, 4 * 64).mul(2).sub(1).reshape(4, 1, 8, 8);
                TrainingBatch batch = new TrainingBatch(step, images, null, noise);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = objective.loss(batch, in -> block.forward(parameters, in, true), new HashMap<>());
                    assertTrue(loss.getShape().isScalar(), "scalar, not " + loss.getShape());
                    float value = loss.getFloat();
                    assertTrue(Float.isFinite(value) && value > 0, "loss " + value);
                    collector.backward(loss);
                }
                Parameter weight = block.getParameters().valueAt(0);
                NDArray gradient = weight.getArray().getGradient();
                assertTrue(Float.isFinite(gradient.abs().sum().getFloat()));
                assertTrue(gradient.abs().sum().getFloat() > 0, "the loss reaches the weights");
            }
        }
    }

    @Test
    void aZeroPredictorLosesTheExpectedSquaredNoiseOfOne() {
        TrainingObjective objective = objective();
        try (NDManager manager = NDManager.newBaseManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(1);
            int n = 16 * 16 * 16;
            NDArray images = manager.zeros(new Shape(16, 1, 16, 16));
            TrainingBatch batch = new TrainingBatch(manager, images, null, noise);
            NDArray loss = objective.loss(batch, in -> new NDList(in.get(0).zerosLike()), new HashMap<>());
            // E‖ε − 0‖² = E[ε²] = 1 per dimension (Ho et al. 2020, eq. 14)
            assertEquals(1.0, loss.getFloat(), 4 * Math.sqrt(2.0 / n));
        }
    }

    @Test
    void theObjectiveFollowsTheEstimatorsPredictionAndTheSpecsScheduleSampler() {
        for (String prediction : List.of("epsilon", "x0", "v")) {
            DiffusionModel model = (DiffusionModel) StandaloneAssembly.assemble(ddpm, DATA, Map.of(
                    "estimator.base_channels", 8, "estimator.prediction", prediction,
                    "train.schedule_sampler", "loss-second-moment"));
            SimpleLossObjective objective = (SimpleLossObjective) model.networks().get(0).objective();
            assertEquals(model.estimator().parameterization(), objective.parameterization());
            assertEquals(Map.of("epsilon", Parameterization.EPSILON, "x0", Parameterization.X0, "v", Parameterization.V)
                    .get(prediction), objective.parameterization());
            assertTrue(objective.scheduleSampler() instanceof LossSecondMomentSampler);
        }
        SimpleLossObjective uniform = (SimpleLossObjective) objective();
        assertFalse(uniform.scheduleSampler().lossAware(), "uniform without a train section");
    }

    /**
     * sample.nfe counts the sampler's estimator calls per sample: one per step for DDIM (whose 5 steps
     * take the ddim5 stride), 2N − 1 for Heun, N + 1 for PLMS (its pseudo improved Euler start).
     */
    @Test
    void sampleNfeCountsTheEstimatorCallsOfEachSampler() {
        Map<String, Double> expected = Map.of("ddim", 5.0, "heun", 9.0, "plms", 6.0, "dpm-solver++", 5.0, "euler", 5.0);
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            DiffusionModel model = (DiffusionModel) StandaloneAssembly.assemble(ddpm, DATA, Map.of(
                    "estimator.base_channels", 8, "estimator.attention_resolutions", List.of(),
                    "sampler.name", e.getKey(), "sampler.steps", 5));
            TrainableNetwork estimator = model.networks().get(0);
            try (NDManager manager = NDManager.newBaseManager()) {
                estimator.block().initialize(manager, DataType.FLOAT32, estimator.inputShapes());
                TrainedNetworks trained = TrainedNetworks.of(Map.of(estimator.name(),
                        new TrainedNetworks.Trained(estimator.block(), new ParameterStore(manager, false))));
                Generation g = model.generate(new GenerationRequest(manager, trained, Map.of(), 3, 2, 0,
                        (label, total, unit) -> new Progress() {
                            public void step(long n, String status) { }
                            public void close() { }
                        }));
                assertEquals(new Shape(3, 1, 28, 28), g.images().getShape());
                assertEquals(5.0, g.facts().get("sample.steps"), e.getKey());
                assertEquals(e.getValue(), g.facts().get("sample.nfe"), e.getKey());
                assertTrue(Float.isFinite(g.images().abs().max().getFloat()), e.getKey());
            }
        }
    }

    @Test
    void theFamilyIsListedAsAnExtension() throws IOException {
        boolean found = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                found |= new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(DdpmFamily.class.getName());
            }
        }
        assertTrue(found);
    }
}
