package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.ImageShape;
import io.difflab.api.StepGuidance;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classifier guidance (Dhariwal &amp; Nichol 2021, sec. 4) on a tiny real classifier in float64. */
class ClassifierGuidanceTest {

    private static final DiffusionSchedule RESPACED = CosineSchedule.of(1000)
            .respace(TimestepSpacing.evenly(1000, 10));
    private static final Shape SHAPE = new Shape(2, 1, 4, 4);
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static TinyClassifier classifier(NDManager m) {
        TinyClassifier c = new TinyClassifier(3);
        c.initialize(m, DataType.FLOAT64, SHAPE, new Shape(2));
        return c;
    }

    private static NDArray image(NDManager m, long seed) {
        return new SeededNoiseSource(seed).normal(m, SHAPE).toType(DataType.FLOAT64, false);
    }

    private static GuidanceContext context(NDManager m, TinyClassifier c, double scale) {
        return new GuidanceContext(config(scale), RESPACED,
                TrainedNetworks.of(Map.of("classifier", new TrainedNetworks.Trained(c, null))), m.getDevice());
    }

    private static Config config(double scale) {
        return Config.of("guidance", new ClassifierGuidance().options(), Map.of("scale", scale));
    }

    /** A stand-in estimator: ε = x_t/2, no variance. */
    private static final Denoiser HALF = (xt, t, condition) -> DenoiserOutput.of(xt.div(2));

    @Test
    void theGradientMatchesCentralFiniteDifferencesOfLogP() {
        try (NDManager m = manager.newSubManager()) {
            TinyClassifier c = classifier(m);
            ClassifierGradient grad = new ClassifierGradient(c, new ParameterStore(m, false));
            NDArray x = image(m, 1);
            NDArray labels = m.create(new int[] {0, 2});
            int timestep = 333;
            double[] g = grad.gradient(x, timestep, labels).toDoubleArray();
            double[] values = x.toDoubleArray();
            double h = 1e-6;
            int perSample = (int) (SHAPE.size() / 2);
            for (int i = 0; i < values.length; i++) {
                int sample = i / perSample;
                double[] plus = values.clone();
                double[] minus = values.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (grad.logProb(m.create(plus, SHAPE), timestep, labels).getDouble(sample)
                        - grad.logProb(m.create(minus, SHAPE), timestep, labels).getDouble(sample)) / (2 * h);
                assertEquals(fd, g[i], 1e-7 + 1e-6 * Math.abs(fd), "element " + i);
            }
            assertTrue(java.util.Arrays.stream(g).map(Math::abs).sum() > 1e-3, "a non-trivial gradient");
        }
    }

    @Test
    void theGuidedOutputCarriesTheScaledGradientAtTheOriginalTimestep() {
        try (NDManager m = manager.newSubManager()) {
            TinyClassifier c = classifier(m);
            NDArray x = image(m, 2);
            NDArray labels = m.create(new int[] {1, 0});
            Denoiser guided = new ClassifierGuidance().wrap(HALF, context(m, c, 2.5));
            int step = 3;
            DenoiserOutput out = guided.predict(x, step, Condition.labels(labels));
            int original = RESPACED.timestepMap()[step];
            assertEquals(original, c.lastTimestep(), 0f, "the classifier sees the original timestep");
            NDArray expected = new ClassifierGradient(c, new ParameterStore(m, false)).gradient(x, original, labels)
                    .mul(2.5);
            NDArray g = ((GradientGuidance) out.guidance()).gradient();
            assertEquals(0.0, g.sub(expected).abs().max().getDouble(), 1e-12);
            assertEquals(0.0, out.epsilon().sub(x.div(2)).abs().max().getDouble(), 0.0, "ε is the estimator's");
        }
    }

    @Test
    void guidanceComputesNoGradientForTheClassifierWeights() {
        try (NDManager m = manager.newSubManager()) {
            TinyClassifier c = classifier(m);
            NDArray labels = m.create(new int[] {1, 2});
            new ClassifierGuidance().wrap(HALF, context(m, c, 1.0)).predict(image(m, 4), 5, Condition.labels(labels));
            assertEquals(0.0, weightGradientSum(c), 0.0);
            // the control: the same gradient over the plain weights does reach them
            new ClassifierGradient(c, new ParameterStore(m, false)).gradient(image(m, 4), 5, labels);
            assertTrue(weightGradientSum(c) > 0);
        }
    }

    private static double weightGradientSum(TinyClassifier c) {
        double sum = 0;
        for (Pair<String, Parameter> p : c.getParameters()) {
            sum += p.getValue().getArray().getGradient().abs().sum().toType(DataType.FLOAT64, false).getDouble();
        }
        return sum;
    }

    @Test
    void costIsOneEstimatorCallAndOneGradientPerStepAndNoneAtScaleZero() {
        ClassifierGuidance head = new ClassifierGuidance();
        assertEquals(new GuidanceCost(1, 1), head.cost(Config.of("guidance", head.options(), Map.of())));
        assertEquals(new GuidanceCost(1, 1), head.cost(config(4.0)));
        assertEquals(GuidanceCost.UNGUIDED, head.cost(config(0.0)));
        assertEquals("classifier", head.name());
        assertEquals(1.0, head.options().get(0).defaultValue());
        try (NDManager m = manager.newSubManager()) {
            DenoiserOutput out = head.wrap(HALF, context(m, classifier(m), 0.0))
                    .predict(image(m, 5), 2, Condition.labels(m.create(new int[] {0, 1})));
            assertSame(StepGuidance.NONE, out.guidance(), "s = 0 is unguided");
        }
    }

    @Test
    void anUnlabeledDatasetIsAUserErrorNamingTheFixAndTheHeadAsksForLabels() {
        ClassifierGuidance head = new ClassifierGuidance();
        ImageShape shape = new ImageShape(1, 4, 4);
        UserError e = assertThrows(UserError.class, () -> head.conditions(config(1.0),
                new DatasetInfo(shape, List.of(), Map.of())));
        assertTrue(e.getMessage().contains("guidance.name: none"), e.getMessage());
        List<ConditionEncoder> asked = head.conditions(config(1.0),
                new DatasetInfo(shape, List.of("a", "b", "c"), Map.of("label", Integer.class)));
        assertEquals(List.of("label"), asked.stream().map(ConditionEncoder::field).toList());
        assertEquals(Set.of("classifier"), head.requiredNetworks(config(1.0)));
        try (NDManager m = manager.newSubManager()) {
            Denoiser guided = head.wrap(HALF, context(m, classifier(m), 1.0));
            assertThrows(IllegalArgumentException.class, () -> guided.predict(image(m, 6), 1, Condition.none()));
            GuidanceContext none = new GuidanceContext(config(1.0), RESPACED, TrainedNetworks.NONE, m.getDevice());
            UserError missing = assertThrows(UserError.class, () -> new ClassifierGuidance().wrap(HALF, none));
            assertTrue(missing.getMessage().contains("classifier"), missing.getMessage());
        }
    }

    @Test
    void labelsOutsideTheClassifiersClassesAreRejected() {
        try (NDManager m = manager.newSubManager()) {
            Denoiser guided = new ClassifierGuidance().wrap(HALF, context(m, classifier(m), 1.0));
            assertThrows(IllegalArgumentException.class,
                    () -> guided.predict(image(m, 7), 1, Condition.labels(m.create(new int[] {0, 3}))));
        }
    }
}
