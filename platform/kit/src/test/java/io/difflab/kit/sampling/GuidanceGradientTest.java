package io.difflab.kit.sampling;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.Sampler;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.VarianceType;
import io.difflab.kit.guidance.GradientGuidance;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A guidance gradient g moves the first step's result by exactly what the formulas say, for the
 * same seed: Σ·g for ancestral sampling (Dhariwal &amp; Nichol 2021, Alg. 1), and through
 * ε̂ = ε − √(1 − ᾱ_t)·g for DDIM (Alg. 2).
 */
class GuidanceGradientTest {

    private static final DiffusionSchedule SCHEDULE = LinearSchedule.of(1000)
            .respace(TimestepSpacing.evenly(1000, 10));
    private static final float G = 0.7f;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** The first step's x_{T−1} (its first value) with and without the gradient, same seed. */
    private static double firstStepShift(Sampler sampler, VarianceType variance, Map<String, Object> options) {
        Denoiser plain = AnalyticDenoisers.gaussian(SCHEDULE, 0.1, 0.4);
        Denoiser guided = (xt, t, c) -> plain.predict(xt, t, c).guidedBy(new GradientGuidance(xt.onesLike().mul(G)));
        double[] first = new double[2];
        Denoiser[] denoisers = {plain, guided};
        for (int i = 0; i < 2; i++) {
            int which = i;
            try (NDManager m = manager.newSubManager()) {
                sampler.sample(SamplersTest.request(m, SCHEDULE, denoisers[i], variance, new Shape(2, 1, 2, 2), 21,
                        options, step -> {
                            if (step.index() == 0) {
                                first[which] = step.x().getFloat(1, 0, 1, 1);
                            }
                        }));
            }
        }
        return first[1] - first[0];
    }

    @Test
    void ancestralShiftsTheMeanByTheVarianceTimesTheGradient() {
        int t = SCHEDULE.timesteps() - 1;
        Map<String, Object> noClip = Map.of("clip_denoised", false);
        assertEquals(SCHEDULE.posteriorVariance(t) * G,
                firstStepShift(new AncestralSampler(), VarianceType.FIXED_SMALL, noClip), 1e-5);
        assertEquals(SCHEDULE.beta(t) * G,
                firstStepShift(new AncestralSampler(), VarianceType.FIXED_LARGE, noClip), 1e-5);
    }

    @Test
    void ddimShiftsEpsilonByTheScaledGradient() {
        int t = SCHEDULE.timesteps() - 1;
        double alphaBar = SCHEDULE.alphaCumprod(t);
        double prev = SCHEDULE.alphaCumprodPrev(t);
        // ε̂ = ε − √(1−ᾱ)g moves x̂_0 by (1−ᾱ)/√ᾱ·g, so x_{t−1} moves by √ᾱ'(1−ᾱ)/√ᾱ·g − √(1−ᾱ')√(1−ᾱ)·g
        double expected = (Math.sqrt(prev) * (1 - alphaBar) / Math.sqrt(alphaBar)
                - Math.sqrt(1 - prev) * Math.sqrt(1 - alphaBar)) * G;
        assertEquals(expected, firstStepShift(new DdimSampler(), VarianceType.FIXED_SMALL,
                Map.of("clip_denoised", false)), 1e-5);
    }

    @Test
    void noGuidanceIsTheDenoiserItselfAtOneCallPerStep() {
        Denoiser denoiser = AnalyticDenoisers.pointMass(SCHEDULE, 0.0);
        NoGuidance none = new NoGuidance();
        assertSame(denoiser, none.wrap(denoiser,
                new GuidanceContext(Config.empty("guidance"), SCHEDULE, TrainedNetworks.NONE, manager.getDevice())));
        assertEquals(new GuidanceCost(1, 0), none.cost(Config.empty("guidance")));
        assertEquals("none", none.name());
    }
}
