package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDManager;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss-aware timestep sampler of Nichol &amp; Dhariwal 2021 (sec. 3.3) against its definition. */
class ScheduleSamplerTest {

    private static final int T = 5;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Losses 1..T at t = 0..T−1, each seen {@code times} times. */
    private static LossSecondMomentSampler fedWith(int times) {
        LossSecondMomentSampler s = new LossSecondMomentSampler(T);
        for (int k = 0; k < times; k++) {
            for (int t = 0; t < T; t++) {
                s.update(new int[] {t}, new double[] {t + 1.0});
            }
        }
        return s;
    }

    @Test
    void uniformUntilEveryTimestepHasTenLosses() {
        LossSecondMomentSampler s = fedWith(LossSecondMomentSampler.HISTORY - 1);
        assertFalse(s.warmedUp());
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, s.probabilities(), 1e-15);
        try (NDManager m = manager.newSubManager()) {
            assertNull(s.draw(new SeededNoiseSource(1), m, 8).weights(), "uniform draws carry no weights");
        }
    }

    @Test
    void probabilitiesFollowTheRootMeanSquareLossMixedWithUniform() {
        LossSecondMomentSampler s = fedWith(LossSecondMomentSampler.HISTORY);
        assertTrue(s.warmedUp());
        // constant losses l_t = t + 1: √E[L²] = t + 1, normalized by 15, then (1 − u)·p + u/T
        double u = LossSecondMomentSampler.UNIFORM_PROB;
        double[] p = s.probabilities();
        for (int t = 0; t < T; t++) {
            assertEquals((t + 1) / 15.0 * (1 - u) + u / T, p[t], 1e-15);
        }
        // a new loss shifts out the oldest: nine 3s and one 4 at t = 2
        s.update(new int[] {2}, new double[] {4.0});
        double rms2 = Math.sqrt((9 * 9.0 + 16.0) / 10);
        double sum = 1 + 2 + rms2 + 4 + 5;
        assertEquals(rms2 / sum * (1 - u) + u / T, s.probabilities()[2], 1e-15);
    }

    @Test
    void drawsFollowTheProbabilitiesAndTheirWeightsKeepTheUniformExpectation() {
        LossSecondMomentSampler s = fedWith(LossSecondMomentSampler.HISTORY);
        double[] p = s.probabilities();
        int n = 200_000;
        int[] counts = new int[T];
        double weighted = 0;
        try (NDManager m = manager.newSubManager()) {
            ScheduleSampler.Draw draw = s.draw(new SeededNoiseSource(11), m, n);
            int[] t = draw.t().toIntArray();
            float[] w = draw.weights().toFloatArray();
            for (int i = 0; i < n; i++) {
                counts[t[i]]++;
                assertEquals(1.0 / (T * p[t[i]]), w[i], 1e-6 / p[t[i]]);
                weighted += w[i] * (t[i] + 1.0);
            }
        }
        for (int t = 0; t < T; t++) {
            double sd = Math.sqrt(n * p[t] * (1 - p[t]));
            assertEquals(n * p[t], counts[t], 5 * sd, "count of t=" + t);
        }
        // E_p[w·L_t] = Σ_t p_t·L_t/(T·p_t) = mean of L_t = 3 (importance sampling)
        assertEquals(3.0, weighted / n, 0.01);
    }

    @Test
    void stateRestoresTheHistoryExactly() {
        LossSecondMomentSampler s = fedWith(LossSecondMomentSampler.HISTORY);
        s.update(new int[] {1, 3}, new double[] {Math.PI, 1e-300});
        Map<String, String> state = s.state();
        LossSecondMomentSampler restored = new LossSecondMomentSampler(T);
        restored.restore(state);
        assertArrayEquals(s.probabilities(), restored.probabilities(), 0.0);
        assertEquals(state, restored.state());
        assertThrows(IllegalArgumentException.class, () -> new LossSecondMomentSampler(T + 1).restore(state));
    }

    @Test
    void namedSamplersAreTheSpecChoices() {
        assertTrue(ScheduleSampler.named("loss-second-moment", 10).lossAware());
        assertFalse(ScheduleSampler.named("uniform", 10).lossAware());
        assertThrows(io.difflab.api.UserError.class, () -> ScheduleSampler.named("importance", 10));
    }
}
