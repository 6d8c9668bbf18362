package io.difflab.kit.sampling;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.SamplingStep;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Both samplers on denoisers whose ε is exact, so the data distribution is known. */
class SamplersTest {

    private static final DiffusionSchedule FULL = LinearSchedule.of(1000);
    private static final DiffusionSchedule RESPACED = FULL.respace(TimestepSpacing.evenly(1000, 50));
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static SamplingRequest request(NDManager m, DiffusionSchedule schedule, Denoiser denoiser, VarianceType variance,
                                   Shape shape, long seed, Map<String, Object> options, Consumer<SamplingStep> onStep) {
        return new SamplingRequest(m, schedule, denoiser, variance, shape, Condition.none(),
                new SeededNoiseSource(seed), Config.of("sampler", new DdimSampler().options(), options), onStep);
    }

    @Test
    void ddimWithEtaZeroReturnsThePointExactly() {
        for (DiffusionSchedule schedule : new DiffusionSchedule[] {FULL, RESPACED,
                CosineSchedule.of(1000).respace(TimestepSpacing.ddim(1000, 20))}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = new DdimSampler().sample(request(m, schedule, AnalyticDenoisers.pointMass(schedule, 0.3),
                        VarianceType.FIXED_SMALL, new Shape(4, 1, 2, 2), 1, Map.of(), null));
                assertEquals(new Shape(4, 1, 2, 2), x.getShape());
                assertEquals(0.0, x.sub(0.3f).abs().max().getFloat(), 1e-5);
            }
        }
    }

    @Test
    void ancestralReturnsThePointForEitherFixedVariance() {
        for (DiffusionSchedule schedule : new DiffusionSchedule[] {FULL, RESPACED}) {
            for (VarianceType variance : new VarianceType[] {VarianceType.FIXED_SMALL, VarianceType.FIXED_LARGE}) {
                if (schedule == FULL && variance == VarianceType.FIXED_SMALL) {
                    continue; // 1000 more steps would add time, not coverage
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = new AncestralSampler().sample(request(m, schedule,
                            AnalyticDenoisers.pointMass(schedule, -0.6), variance, new Shape(4, 1, 2, 2), 2, Map.of(), null));
                    assertEquals(0.0, x.add(0.6f).abs().max().getFloat(), 1e-4, variance + " on " + schedule.timesteps());
                }
            }
        }
    }

    @Test
    void gaussianDataComesOutWithTheMomentsOfTheLinearChain() {
        double mu = 0.2;
        double s = 0.3;
        // below ~2048 values PyTorch stays single-threaded on these element-wise ops, much faster on a busy CPU
        int n = 2000;
        Denoiser denoiser = AnalyticDenoisers.gaussian(RESPACED, mu, s);
        Map<String, Object> noClip = Map.of("clip_denoised", false);
        for (VarianceType variance : new VarianceType[] {VarianceType.FIXED_SMALL, VarianceType.FIXED_LARGE}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = new AncestralSampler().sample(request(m, RESPACED, denoiser, variance,
                        new Shape(n, 1, 1, 1), 3, noClip, null));
                assertMoments(LinearGaussianChain.ancestral(RESPACED, mu, s, variance), x, n, variance.toString());
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = new DdimSampler().sample(request(m, RESPACED, denoiser, VarianceType.FIXED_SMALL,
                    new Shape(n, 1, 1, 1), 3, noClip, null));
            assertMoments(LinearGaussianChain.ddim(RESPACED, mu, s), x, n, "ddim");
        }
        // and with all 1000 steps both chains carry N(0, 1) to the data distribution N(μ, s²)
        for (double[] moments : new double[][] {LinearGaussianChain.ancestral(FULL, mu, s, VarianceType.FIXED_SMALL),
                LinearGaussianChain.ancestral(FULL, mu, s, VarianceType.FIXED_LARGE), LinearGaussianChain.ddim(FULL, mu, s)}) {
            assertEquals(mu, moments[0], 1e-3);
            assertEquals(s, Math.sqrt(moments[1]), 0.01);
        }
    }

    /** Sample mean and variance within 4 standard errors of {mean, variance}. */
    private static void assertMoments(double[] expected, NDArray x, int n, String what) {
        double mean = x.mean().getFloat();
        double variance = x.sub(mean).square().mean().getFloat();
        assertEquals(expected[0], mean, 4 * Math.sqrt(expected[1] / n), what + " mean");
        assertEquals(expected[1], variance, 4 * expected[1] * Math.sqrt(2.0 / n), what + " variance");
    }

    @Test
    void stepsAreReportedFromTheLastTimestepDown() {
        try (NDManager m = manager.newSubManager()) {
            List<int[]> reported = new ArrayList<>();
            new DdimSampler().sample(request(m, RESPACED, AnalyticDenoisers.pointMass(RESPACED, 0.1),
                    VarianceType.FIXED_SMALL, new Shape(2, 1, 2, 2), 4, Map.of(),
                    step -> reported.add(new int[] {step.index(), step.total(), step.timestep(),
                            (int) step.x().getShape().get(0), (int) step.predX0().getShape().get(0)})));
            int[] map = RESPACED.timestepMap();
            assertEquals(50, reported.size());
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(new int[] {i, 50, map[49 - i], 2, 2}, reported.get(i));
            }
            assertEquals(0, reported.get(49)[2]);
        }
    }

    @Test
    void sameSeedSameSamplesAndNothingLeftBehind() {
        try (NDManager m = manager.newSubManager()) {
            Sampler sampler = new AncestralSampler();
            Denoiser denoiser = AnalyticDenoisers.gaussian(RESPACED, 0.0, 0.5);
            NDArray a = sampler.sample(request(m, RESPACED, denoiser, VarianceType.FIXED_LARGE, new Shape(3, 2, 2, 2), 11,
                    Map.of(), null));
            NDArray b = sampler.sample(request(m, RESPACED, denoiser, VarianceType.FIXED_LARGE, new Shape(3, 2, 2, 2), 11,
                    Map.of(), null));
            NDArray c = sampler.sample(request(m, RESPACED, denoiser, VarianceType.FIXED_LARGE, new Shape(3, 2, 2, 2), 12,
                    Map.of(), null));
            // each step's arrays went with its sub-manager: only the three results remain
            assertEquals(3, ((BaseNDManager) m).getManagedArrays().size());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            assertEquals(true, a.sub(c).abs().max().getFloat() > 1e-3);
        }
    }

    @Test
    void ddimWithEtaIsStochasticAndLearnedVarianceNeedsAFraction() {
        try (NDManager m = manager.newSubManager()) {
            Denoiser denoiser = AnalyticDenoisers.gaussian(RESPACED, 0.0, 0.5);
            NDArray a = new DdimSampler().sample(request(m, RESPACED, denoiser, VarianceType.FIXED_SMALL,
                    new Shape(2, 1, 2, 2), 1, Map.of("eta", 1.0), null));
            NDArray b = new DdimSampler().sample(request(m, RESPACED, denoiser, VarianceType.FIXED_SMALL,
                    new Shape(2, 1, 2, 2), 1, Map.of("eta", 0.0), null));
            assertEquals(true, a.sub(b).abs().max().getFloat() > 1e-3);
            assertThrows(UserError.class, () -> new AncestralSampler().sample(request(m, RESPACED, denoiser,
                    VarianceType.LEARNED_RANGE, new Shape(2, 1, 2, 2), 1, Map.of(), null)));
        }
    }
}
