package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.ImageShape;
import io.difflab.api.Option;
import io.difflab.api.StepGuidance;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guided ε on the real U-Net, randomly initialized, against its own two predictions. */
class ClassifierFreeGuidanceTest {

    static final ImageShape SHAPE = new ImageShape(1, 8, 8);
    static final int CLASSES = 3;
    static final DiffusionSchedule SCHEDULE = LinearSchedule.of(100)
            .respace(TimestepSpacing.evenly(100, 10));
    private static final float TOLERANCE = 1e-5f;
    private static NDManager manager;
    private static EstimatorNetwork fixedVariance;
    private static EstimatorNetwork learnedVariance;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        fixedVariance = TinyUNets.build(manager, SHAPE, CLASSES, false);
        learnedVariance = TinyUNets.build(manager, SHAPE, CLASSES, true);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Denoiser base(EstimatorNetwork network) {
        return new EstimatorDenoiser(network, new ParameterStore(manager, false), SCHEDULE);
    }

    static Denoiser guided(Denoiser base, double scale) {
        return guided(base, Map.of("scale", scale));
    }

    static Denoiser guided(Denoiser base, Map<String, Object> options) {
        ClassifierFreeGuidance head = new ClassifierFreeGuidance();
        return head.wrap(base, new GuidanceContext(Config.of("guidance", head.options(), options), SCHEDULE,
                TrainedNetworks.NONE, ai.djl.Device.cpu()));
    }

    static Condition labels(NDManager m, int... labels) {
        return Condition.labels(m.create(labels).toType(DataType.INT32, false));
    }

    private static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void scaleOneIsTheConditionalAndScaleZeroTheUnconditionalPrediction() {
        Denoiser base = base(fixedVariance);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new SeededNoiseSource(3).normal(m, SHAPE.batch(4));
            Condition y = labels(m, 0, 2, 1, 2);
            for (int t : new int[] {0, 5, 9}) {
                NDArray conditional = base.predict(x, t, y).epsilon();
                NDArray unconditional = base.predict(x, t, y.nulled()).epsilon();
                assertTrue(maxDifference(conditional, unconditional) > 1e-2, "the labels change the output");
                assertTrue(conditional.abs().max().getFloat() > 1e-2, "a non-zero network");
                assertEquals(0f, maxDifference(guided(base, 1.0).predict(x, t, y).epsilon(), conditional), TOLERANCE);
                assertEquals(0f, maxDifference(guided(base, 0.0).predict(x, t, y).epsilon(), unconditional), TOLERANCE);
            }
        }
    }

    @Test
    void oneBatchedCallGivesTheGuidedCombinationOfTwoSeparateCalls() {
        Denoiser base = base(fixedVariance);
        List<Long> callSizes = new ArrayList<>();
        Denoiser counting = (xt, t, condition) -> {
            callSizes.add(xt.getShape().get(0));
            return base.predict(xt, t, condition);
        };
        double s = 3.0;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new SeededNoiseSource(4).normal(m, SHAPE.batch(3));
            Condition y = labels(m, 1, 0, 2);
            NDArray conditional = base.predict(x, 7, y).epsilon();
            NDArray unconditional = base.predict(x, 7, y.nulled()).epsilon();
            NDArray guided = guided(counting, s).predict(x, 7, y).epsilon();
            assertEquals(List.of(6L), callSizes, "one call on the doubled batch");
            // Ho & Salimans 2021, eq. 6 with w = s − 1
            NDArray expected = conditional.mul(1 + (s - 1)).sub(unconditional.mul(s - 1));
            assertEquals(0f, maxDifference(guided, expected), 1e-4f);
            assertEquals(SHAPE.batch(3), guided.getShape());
        }
    }

    @Test
    void theNullLabelInABatchIsTheUnconditionalPredictionPerSample() {
        Denoiser base = base(fixedVariance);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new SeededNoiseSource(5).normal(m, SHAPE.batch(3));
            NDArray mixed = base.predict(x, 4, labels(m, 2, Condition.NULL_LABEL, 0)).epsilon();
            NDArray conditional = base.predict(x, 4, labels(m, 2, 1, 0)).epsilon();
            NDArray unconditional = base.predict(x, 4, labels(m, 2, 1, 0).nulled()).epsilon();
            assertEquals(0f, maxDifference(mixed.get(0), conditional.get(0)), TOLERANCE);
            assertEquals(0f, maxDifference(mixed.get(2), conditional.get(2)), TOLERANCE);
            assertEquals(0f, maxDifference(mixed.get(1), unconditional.get(1)), TOLERANCE);
        }
    }

    @Test
    void theLearnedVarianceComesFromTheConditionalHalf() {
        Denoiser base = base(learnedVariance);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new SeededNoiseSource(6).normal(m, SHAPE.batch(2));
            Condition y = labels(m, 0, 1);
            DenoiserOutput conditional = base.predict(x, 3, y);
            DenoiserOutput unconditional = base.predict(x, 3, y.nulled());
            assertTrue(maxDifference(conditional.varianceFraction(), unconditional.varianceFraction()) > 1e-3);
            DenoiserOutput out = guided(base, 4.0).predict(x, 3, y);
            assertEquals(0f, maxDifference(out.varianceFraction(), conditional.varianceFraction()), TOLERANCE);
            assertSame(StepGuidance.NONE, out.guidance());
        }
    }

    @Test
    void costIsTwoEstimatorCallsAndNoGradient() {
        ClassifierFreeGuidance head = new ClassifierFreeGuidance();
        Config defaults = Config.of("guidance", head.options(), Map.of());
        assertEquals(2, head.cost(defaults).estimatorCalls());
        assertEquals(0, head.cost(defaults).gradientEvaluations());
        Config perCondition = Config.of("guidance", head.options(), Map.of("conditions", List.of("a", "b", "c"),
                "scales", List.of(1.0, 2.0, 3.0)));
        assertEquals(new GuidanceCost(5, 0), head.cost(perCondition));
        assertEquals("classifier-free", head.name());
        Option scale = head.options().get(0);
        assertEquals("scale", scale.key());
        assertEquals(3.0, scale.defaultValue());
        assertEquals(0.0, scale.min());
        assertEquals(100.0, scale.max());
    }

    @Test
    void unconditionalSamplesCannotBeGuided() {
        Denoiser base = base(fixedVariance);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.zeros(SHAPE.batch(2));
            assertThrows(UserError.class, () -> guided(base, 3.0).predict(x, 0, Condition.none()));
            assertThrows(UserError.class, () -> new ClassifierFreeGuidance().conditions(Config.of("guidance",
                    new ClassifierFreeGuidance().options(), Map.of("conditions", List.of("a"),
                            "scales", List.of(1.0, 2.0))), null));
            assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeDenoiser(base, -1));
        }
    }

    /**
     * Two conditions of different kinds (a label and an embedding): joint guidance nulls both in the
     * unconditional pass; per-condition scales give ε(∅) + Σ_i s_i (ε(c_i) − ε(∅)) in one call of 4N
     * (the fully conditional pass gives the learned variance).
     */
    @Test
    void perConditionScalesComposeTheSinglyConditionedPredictions() {
        EstimatorSpec spec = new EstimatorSpec(SHAPE, List.of(ConditionInput.labels(CLASSES),
                new ConditionInput("embedding", ConditionKind.EMBEDDING, List.of(new Shape(4)), 0)), false);
        Denoiser base = base(TinyUNets.build(manager, spec));
        List<Long> callSizes = new ArrayList<>();
        Denoiser counting = (xt, t, condition) -> {
            callSizes.add(xt.getShape().get(0));
            return base.predict(xt, t, condition);
        };
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new SeededNoiseSource(8).normal(m, SHAPE.batch(2));
            Map<String, Condition.Entry> entries = new LinkedHashMap<>();
            entries.put("label", new Condition.Entry(ConditionKind.LABEL, new NDList(
                    m.create(new int[] {2, 0}).toType(DataType.INT32, false))));
            entries.put("embedding", new Condition.Entry(ConditionKind.EMBEDDING, new NDList(
                    new SeededNoiseSource(9).normal(m, new Shape(2, 4)))));
            Condition c = Condition.of(entries);
            NDArray none = base.predict(x, 5, c.nulled()).epsilon();
            NDArray both = base.predict(x, 5, c).epsilon();
            NDArray labelOnly = base.predict(x, 5, c.nulled(List.of("embedding"))).epsilon();
            NDArray embeddingOnly = base.predict(x, 5, c.nulled(List.of("label"))).epsilon();
            assertTrue(maxDifference(labelOnly, none) > 1e-3 && maxDifference(embeddingOnly, none) > 1e-3,
                    "each condition changes the output");
            NDArray joint = guided(base, 2.0).predict(x, 5, c).epsilon();
            assertEquals(0f, maxDifference(joint, none.add(both.sub(none).mul(2.0))), 1e-4f);
            NDArray composed = guided(counting, Map.of("conditions", List.of("label", "embedding"),
                    "scales", List.of(1.5, 4.0))).predict(x, 5, c).epsilon();
            assertEquals(List.of(8L), callSizes, "one call on [c; ∅; c_label; c_embedding]");
            NDArray expected = none.add(labelOnly.sub(none).mul(1.5)).add(embeddingOnly.sub(none).mul(4.0));
            assertEquals(0f, maxDifference(composed, expected), 1e-4f);
            NDArray labelGuided = guided(base, Map.of("conditions", List.of("label"), "scale", 3.0))
                    .predict(x, 5, c).epsilon();
            // only the label is guided: the embedding stays in both passes
            assertEquals(0f, maxDifference(labelGuided, embeddingOnly.add(both.sub(embeddingOnly).mul(3.0))), 1e-4f);
        }
    }

    @Test
    void theHeadIsListedAsAnExtension() throws IOException {
        boolean found = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                found |= new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .contains(ClassifierFreeGuidance.class.getName());
            }
        }
        assertTrue(found);
    }
}
