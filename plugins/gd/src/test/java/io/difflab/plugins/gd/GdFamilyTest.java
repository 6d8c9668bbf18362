package io.difflab.plugins.gd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.guidance.NoisyClassifierObjective;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.UNetEstimator;
import io.difflab.kit.sampling.SeededNoiseSource;
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
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GdFamilyTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private final GdFamily gd = new GdFamily();

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

    private static final DatasetInfo LABELED = new DatasetInfo(SHAPE, Collections.nCopies(10, "c"),
            Map.of("label", Integer.class));

    /** The gd model on a small ADM U-Net (the family's switches, base 32, two levels, attention at 14). */
    private DiffusionModel model(Map<String, Object> more, DatasetInfo data) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("estimator.base_channels", 32,
                "estimator.channel_mult", List.of(1, 2), "estimator.num_res_blocks", 1,
                "estimator.attention_resolutions", List.of(14), "estimator.dropout", 0.0));
        values.putAll(more);
        return (DiffusionModel) StandaloneAssembly.assemble(gd, data, values);
    }

    @Test
    void theEstimatorIsUnconditionalWithLearnedVarianceAndSamplesAskForLabelsForTheClassifier() {
        DiffusionModel model = model(Map.of(), LABELED);
        EstimatorSpec spec = model.estimator().spec();
        assertFalse(spec.conditional());
        assertTrue(spec.learnsVariance());
        assertEquals(2, spec.outputChannels());
        assertEquals(VarianceType.LEARNED_RANGE, model.varianceType());
        assertEquals(Set.of("label"), model.sampleFields(), "classifier guidance asks for a label per sample");
    }

    @Test
    void lHybridTrainsTheAdmUNetAndLogsMseAndVlb() {
        DiffusionModel model = model(Map.of(), LABELED);
        TrainableNetwork net = model.networks().get(0);
        assertInstanceOf(HybridLossObjective.class, net.objective());
        assertEquals(0.001, ((HybridLossObjective) net.objective()).vlbWeight());
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, DataType.FLOAT32, net.inputShapes());
            ParameterStore ps = new ParameterStore(m, false);
            SeededNoiseSource noise = new SeededNoiseSource(0);
            NDArray images = noise.uniform(m, 4 * 784).mul(2).sub(1).reshape(4, 1, 28, 28);
            Map<String, NDArray> extra = new HashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = net.objective().loss(new TrainingBatch(m, images, null, noise),
                        in -> net.block().forward(ps, in, true), extra);
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
        DiffusionModel model = model(Map.of("model.classifier_steps", 123, "model.classifier_channels", 16), LABELED);
        assertEquals(2, model.networks().size());
        TrainableNetwork c = model.networks().get(1);
        assertEquals("classifier", c.name());
        assertFalse(c.primary());
        assertEquals(123, c.steps());
        assertEquals(List.of("label"), c.conditions().stream().map(ConditionEncoder::field).toList());
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
        assertEquals(1, model(Map.of("model.classifier_steps", 0, "guidance.name", "none"), LABELED).networks().size(),
                "0 steps: no classifier");
        UserError noClassifier = assertThrows(UserError.class, () -> model(Map.of("model.classifier_steps", 0),
                LABELED));
        assertTrue(noClassifier.getMessage().contains("guidance.name") && noClassifier.getMessage().contains("classifier"),
                noClassifier.getMessage());
        DatasetInfo unlabeled = new DatasetInfo(SHAPE, List.of(), Map.of());
        assertEquals(1, model(Map.of("guidance.name", "none"), unlabeled).networks().size(), "unlabeled data");
        UserError e = assertThrows(UserError.class, () -> model(Map.of("model.classifier_attention_resolutions",
                List.of(9)), LABELED));
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
