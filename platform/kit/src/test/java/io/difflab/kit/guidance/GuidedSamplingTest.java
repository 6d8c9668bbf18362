package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.VarianceType;
import io.difflab.kit.sampling.AncestralSampler;
import io.difflab.kit.sampling.DdimSampler;
import io.difflab.kit.sampling.EstimatorDenoiser;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
                new SeededNoiseSource(11), Config.of("sampler", new DdimSampler().options(), Map.of()), null));
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
}
