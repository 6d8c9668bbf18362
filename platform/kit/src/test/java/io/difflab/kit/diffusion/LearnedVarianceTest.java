package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.VarianceType;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Σ = exp(v·log β_t + (1 − v)·log β̃_t) (Nichol &amp; Dhariwal 2021, eq. 15) is β̃_t at v = 0 and
 * β_t at v = 1, against β and β̃ computed here from the cosine schedule's closed form (eq. 17).
 */
class LearnedVarianceTest {

    private static final int T = 1000;
    private static final double S = 0.008;

    /** ᾱ after the 0-based step i: f(i + 1)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2); ᾱ_{−1} = 1. */
    private static double alphaBar(int i) {
        return i < 0 ? 1.0 : f(i + 1) / f(0);
    }

    private static double f(int t) {
        return Math.pow(Math.cos(((double) t / T + S) / (1 + S) * Math.PI / 2), 2);
    }

    private static double beta(int i) {
        return Math.min(1 - alphaBar(i) / alphaBar(i - 1), CosineSchedule.DEFAULT_MAX_BETA);
    }

    /** β̃_i = (1 − ᾱ_{i−1})/(1 − ᾱ_i)·β_i (Ho et al. 2020, eq. 7), for steps not clipped. */
    private static double posteriorVariance(int i) {
        return (1 - alphaBar(i - 1)) / (1 - alphaBar(i)) * beta(i);
    }

    /** Σ at step i for a constant fraction v, via p_mean_variance. */
    private static double learnedVariance(DiffusionSchedule schedule, int step, double v) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 1, 2, 2);
            NDArray xt = m.ones(shape, DataType.FLOAT64);
            DenoiserOutput out = new DenoiserOutput(xt.zerosLike(), xt.onesLike().mul(v), null);
            PMeanVariance p = new GaussianDiffusion(schedule).pMeanVariance(out, xt,
                    m.create(new int[] {step}), VarianceType.LEARNED_RANGE, false);
            return p.variance().getDouble(0, 0, 1, 1);
        }
    }

    @Test
    void theEndsOfTheLearnedRangeAreBetaTildeAndBeta() {
        DiffusionSchedule schedule = CosineSchedule.of(T);
        for (int step : new int[] {1, 2, 10, 250, 500, 900, 990}) {
            assertEquals(posteriorVariance(step), learnedVariance(schedule, step, 0.0),
                    1e-12 * posteriorVariance(step), "v=0 at t=" + step);
            assertEquals(beta(step), learnedVariance(schedule, step, 1.0), 1e-12 * beta(step), "v=1 at t=" + step);
        }
        // β̃_0 = 0: its log is clipped to log β̃_1, as in guided-diffusion
        assertEquals(posteriorVariance(1), learnedVariance(schedule, 0, 0.0), 1e-12 * posteriorVariance(1));
        // in between it interpolates the logs: v = 1/2 is the geometric mean
        assertEquals(Math.sqrt(beta(100) * posteriorVariance(100)), learnedVariance(schedule, 100, 0.5), 1e-14);
    }

    @Test
    void onARespacedScheduleTheEndsAreTheRespacedBetaTildeAndBeta() {
        DiffusionSchedule full = CosineSchedule.of(T);
        int[] kept = TimestepSpacing.evenly(T, 25);
        DiffusionSchedule respaced = full.respace(kept);
        for (int i : new int[] {1, 12, 23}) {
            // the respaced step i goes from ᾱ at kept[i−1] to ᾱ at kept[i] (Nichol & Dhariwal 2021, sec. 4);
            // the last one, 24, ends at the clipped β_999, which the closed form here leaves out
            double prev = alphaBar(kept[i - 1]);
            double beta = 1 - alphaBar(kept[i]) / prev;
            double betaTilde = (1 - prev) / (1 - alphaBar(kept[i])) * beta;
            assertEquals(betaTilde, learnedVariance(respaced, i, 0.0), 1e-12 * betaTilde, "v=0 at i=" + i);
            assertEquals(beta, learnedVariance(respaced, i, 1.0), 1e-12 * beta, "v=1 at i=" + i);
        }
    }
}
