package io.difflab.plugins.gd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.AuxiliaryNetwork;
import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.guidance.NoisyClassifierObjective;
import io.difflab.kit.nn.UNetEstimator;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GdFamilyTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private final GdFamily gd = new GdFamily();
    private final DiffusionSchedule schedule = new CosineSchedule().build(1000, Config.empty("schedule"));

    @Test
    void defaultsAreTheGuidedDiffusionRecipe() {
        Map<String, Object> d = gd.defaults();
        assertEquals("gd", gd.name());
        assertEquals("cosine", d.get("schedule.name"));
        assertEquals(1000, d.get("schedule.timesteps"));
        assertEquals("unet", d.get("estimator.name"));
        assertEquals(true, d.get("estimator.use_scale_shift_norm"));
        assertEquals(true, d.get("estimator.resblock_updown"));
        assertEquals(32, d.get("estimator.num_head_channels"));
        assertEquals(List.of(14, 7), d.get("estimator.attention_resolutions"));
        assertEquals("learned", d.get("sampler.variance"));
        assertEquals("classifier", d.get("guidance.name"));
        // every estimator default is an option the unet declares
        List<String> unetKeys = new UNetEstimator().options().stream().map(o -> o.key()).toList();
        d.keySet().stream().filter(k -> k.startsWith("estimator.") && !k.equals("estimator.name"))
                .forEach(k -> assertTrue(unetKeys.contains(k.substring("estimator.".length())), k));
    }

    @Test
    void theEstimatorIsUnconditionalWithLearnedVariance() {
        EstimatorSpec spec = gd.estimatorSpec(Config.empty("model"), SHAPE, 10);
        assertFalse(spec.conditional());
        assertTrue(spec.learnsVariance());
        assertEquals(2, spec.outputChannels());
    }

    /** The family's defaults as the validated estimator section would hold them, on a small U-Net. */
    static Config smallAdmUNet() {
        Map<String, Object> values = new LinkedHashMap<>();
        new UNetEstimator().options().forEach(o -> values.put(o.key(), o.defaultValue()));
        new GdFamily().defaults().forEach((k, v) -> {
            if (k.startsWith("estimator.") && !k.equals("estimator.name")) {
                values.put(k.substring("estimator.".length()), v);
            }
        });
        values.put("base_channels", 32);
        values.put("channel_mult", List.of(1, 2));
        values.put("num_res_blocks", 1);
        values.put("attention_resolutions", List.of(14));
        values.put("dropout", 0.0);
        return new Config("estimator", values);
    }

    @Test
    void lHybridTrainsTheAdmUNetAndLogsMseAndVlb() {
        try (NDManager m = NDManager.newBaseManager()) {
            EstimatorNetwork net = new UNetEstimator().build(smallAdmUNet(),
                    gd.estimatorSpec(Config.empty("model"), SHAPE, 10));
            net.block().initialize(m, DataType.FLOAT32, SHAPE.batch(1), new Shape(1));
            ParameterStore ps = new ParameterStore(m, false);
            assertInstanceOf(HybridLossObjective.class, gd.objective(Config.empty("model"), schedule));
            assertEquals(0.001, ((HybridLossObjective) gd.objective(Config.empty("model"), schedule)).vlbWeight());
            SeededNoiseSource noise = new SeededNoiseSource(0);
            NDArray images = noise.uniform(m, 4 * 784).mul(2).sub(1).reshape(4, 1, 28, 28);
            Map<String, NDArray> extra = new HashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = gd.objective(Config.empty("model"), schedule).loss(
                        new TrainingBatch(m, images, null, noise), in -> net.block().forward(ps, in, true), extra);
                assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0, "loss " + loss.getFloat());
                collector.backward(loss);
            }
            assertTrue(extra.containsKey("train.mse") && extra.containsKey("train.vlb"), extra.keySet().toString());
            double reached = net.block().getParameters().stream()
                    .mapToDouble(p -> p.getValue().getArray().getGradient().abs().sum().getFloat()).sum();
            assertTrue(reached > 0);
        }
    }

    @Test
    void theNoiseAwareClassifierIsTheAuxiliaryNetwork() {
        Config model = new Config("model", Map.of("classifier_steps", 123, "classifier_channels", 16));
        List<AuxiliaryNetwork> aux = gd.auxiliaryNetworks(model, schedule, SHAPE, 10);
        assertEquals(1, aux.size());
        AuxiliaryNetwork c = aux.get(0);
        assertEquals("classifier", c.name());
        assertEquals(123, c.steps());
        assertTrue(c.labeled());
        assertInstanceOf(NoisyClassifierObjective.class, c.objective());
        assertArrayEquals(new Shape[] {new Shape(1, 1, 28, 28), new Shape(1)}, c.inputShapes());
        try (NDManager m = NDManager.newBaseManager()) {
            c.block().initialize(m, DataType.FLOAT32, c.inputShapes());
            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            NDArray logits = c.block().forward(new ParameterStore(m, false),
                    new ai.djl.ndarray.NDList(x, m.create(new float[] {0, 500, 999})), false).singletonOrThrow();
            assertEquals(new Shape(3, 10), logits.getShape());
            // the head starts at zero (guided-diffusion's zero_module): a uniform p(y | x_t)
            assertEquals(0.0, logits.abs().max().getFloat(), 0.0);
        }
        assertTrue(gd.auxiliaryNetworks(new Config("model", Map.of("classifier_steps", 0)), schedule, SHAPE, 10)
                .isEmpty(), "0 steps: no classifier");
        assertTrue(gd.auxiliaryNetworks(Config.empty("model"), schedule, SHAPE, 0).isEmpty(), "unlabeled data");
        UserError e = assertThrows(UserError.class, () -> gd.auxiliaryNetworks(
                new Config("model", Map.of("classifier_attention_resolutions", List.of(9))), schedule, SHAPE, 10));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
    }

    @Test
    void theFamilyIsListedAsAnExtension() throws IOException {
        boolean found = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                found |= new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(GdFamily.class.getName());
            }
        }
        assertTrue(found);
    }
}
