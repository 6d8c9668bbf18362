package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.GuidanceContext;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.VarianceType;
import io.difflab.kit.sampling.AncestralSampler;
import io.difflab.kit.sampling.DdimSampler;
import io.difflab.kit.sampling.DpmSolverPlusPlusSampler;
import io.difflab.kit.sampling.EulerSampler;
import io.difflab.kit.sampling.HeunSampler;
import io.difflab.kit.sampling.PlmsSampler;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.difflab.kit.guidance.ClassifierFreeGuidanceTest.SHAPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole reverse chains through the guidance head: with the same seed, s = 1 reproduces conditional
 * sampling and, for a fixed variance, s = 0 unconditional sampling; for ancestral sampling with a
 * fixed or learned variance and for DDIM, on a respaced schedule.
 */
class GuidedSamplingTest {

    /** Four steps are enough to compose the guided ε, Σ and noise through a chain. */
    private static final DiffusionSchedule SCHEDULE = LinearSchedule.of(100)
            .respace(TimestepSpacing.evenly(100, 4));
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static NDArray sample(NDManager m, Sampler sampler, Denoiser denoiser, VarianceType variance,
                                  Condition condition) {
        return sampler.sample(new SamplingRequest(m, SCHEDULE, denoiser, variance, SHAPE.batch(2), condition,
                new SeededNoiseSource(11), Config.of("sampler", sampler.options(), Map.of()), null));
    }

    private static void check(Sampler sampler, boolean learnsVariance, VarianceType variance) {
        Denoiser base = new EstimatorDenoiser(TinyUNets.build(manager, SHAPE, ClassifierFreeGuidanceTest.CLASSES,
                learnsVariance), new ParameterStore(manager, false), SCHEDULE);
        try (NDManager m = manager.newSubManager()) {
            Condition y = ClassifierFreeGuidanceTest.labels(m, 0, 2);
            NDArray conditional = sample(m, sampler, base, variance, y);
            NDArray unconditional = sample(m, sampler, base, variance, y.nulled());
            NDArray atOne = sample(m, sampler, ClassifierFreeGuidanceTest.guided(base, 1.0), variance, y);
            NDArray atZero = sample(m, sampler, ClassifierFreeGuidanceTest.guided(base, 0.0), variance, y);
            NDArray atFive = sample(m, sampler, ClassifierFreeGuidanceTest.guided(base, 5.0), variance, y);
            assertEquals(new Shape(2, 1, 8, 8), atFive.getShape());
            assertTrue(conditional.sub(unconditional).abs().max().getFloat() > 1e-2);
            assertEquals(0f, atOne.sub(conditional).abs().max().getFloat(), 1e-4f, sampler.name());
            if (!learnsVariance) {
                // with a learned variance, Σ comes from the conditional half at every scale (as in GLIDE)
                assertEquals(0f, atZero.sub(unconditional).abs().max().getFloat(), 1e-4f, sampler.name());
            }
            assertTrue(Float.isFinite(atFive.abs().max().getFloat()));
            assertTrue(atFive.sub(conditional).abs().max().getFloat() > 1e-3, "s = 5 guides further");
        }
    }

    @Test
    void ancestralWithLearnedVariance() {
        check(new AncestralSampler(), true, VarianceType.LEARNED_RANGE);
    }

    @Test
    void ancestralWithFixedVariance() {
        check(new AncestralSampler(), false, VarianceType.FIXED_LARGE);
    }

    @Test
    void ddim() {
        check(new DdimSampler(), false, VarianceType.FIXED_SMALL);
    }

    /** The ODE solvers take ε only: with a learned-variance network its v channels are ignored. */
    @Test
    void odeSolversWithFixedAndLearnedVariance() {
        for (Sampler sampler : List.of(new EulerSampler(), new HeunSampler(), new DpmSolverPlusPlusSampler(),
                new PlmsSampler())) {
            check(sampler, false, VarianceType.FIXED_SMALL);
            check(sampler, true, VarianceType.LEARNED_RANGE);
        }
    }

    /**
     * Gradient guidance (a real noise-aware classifier's ∇ log p(y | x_t)) in every sampler: s = 0 is
     * unguided sampling exactly, s = 3 moves the samples and keeps them finite.
     */
    @Test
    void classifierGuidanceInEverySampler() {
        Denoiser base = new EstimatorDenoiser(TinyUNets.build(manager, SHAPE, 0, true), new ParameterStore(manager, false),
                SCHEDULE);
        for (Sampler sampler : List.of(new AncestralSampler(), new DdimSampler(), new EulerSampler(), new HeunSampler(),
                new DpmSolverPlusPlusSampler(), new PlmsSampler())) {
            try (NDManager m = manager.newSubManager()) {
                TinyClassifier classifier = new TinyClassifier(ClassifierFreeGuidanceTest.CLASSES);
                classifier.initialize(m, DataType.FLOAT32, SHAPE.batch(2), new Shape(2));
                // the test's unconditional network takes no label: only the classifier reads y
                Condition y = ClassifierFreeGuidanceTest.labels(m, 0, 2);
                NDArray plain = sample(m, sampler, base, VarianceType.LEARNED_RANGE, y);
                NDArray atZero = sample(m, sampler, classifierGuided(base, classifier, 0.0), VarianceType.LEARNED_RANGE, y);
                NDArray atThree = sample(m, sampler, classifierGuided(base, classifier, 3.0), VarianceType.LEARNED_RANGE,
                        y);
                assertEquals(0f, atZero.sub(plain).abs().max().getFloat(), 0f, sampler.name());
                assertTrue(Float.isFinite(atThree.abs().max().getFloat()), sampler.name());
                assertTrue(atThree.sub(plain).abs().max().getFloat() > 1e-4, sampler.name() + ": guidance moves samples");
            }
        }
    }

    private static Denoiser classifierGuided(Denoiser base, TinyClassifier classifier, double scale) {
        ClassifierGuidance head = new ClassifierGuidance();
        return head.wrap(base, new GuidanceContext(Config.of("guidance", head.options(), Map.of("scale", scale)),
                SCHEDULE, TrainedNetworks.of(Map.of(ClassifierGuidance.CLASSIFIER,
                new TrainedNetworks.Trained(classifier, new ParameterStore(manager, false)))), manager.getDevice()));
    }
}
