package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Top-k, nucleus and temperature sampling draw tokens with the frequencies of the closed-form
 * restricted and renormalised softmax.
 */
class TokenSamplingTest {

    private static final float[] LOGITS = {2.0f, 1.5f, 1.0f, 0.0f, -1.0f, -3.0f};
    private static final int K = LOGITS.length;
    private static final int N = 100_000;

    /** softmax(l/T) over the tokens {@code kept}, 0 elsewhere. */
    private static double[] restricted(double temperature, boolean... kept) {
        double[] p = new double[K];
        double z = 0;
        for (int k = 0; k < K; k++) {
            p[k] = kept[k] ? Math.exp(LOGITS[k] / temperature) : 0;
            z += p[k];
        }
        for (int k = 0; k < K; k++) {
            p[k] /= z;
        }
        return p;
    }

    private static void assertDrawsFollow(TokenSampling sampling, double[] expected, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS).reshape(1, K).repeat(0, N);
            long[] tokens = sampling.sample(logits, new SeededNoiseSource(seed).uniform(m, (long) N * K)).toLongArray();
            double[] frequency = new double[K];
            for (long t : tokens) {
                frequency[(int) t] += 1.0 / N;
            }
            float[] probabilities = sampling.probabilities(logits.get("0:1")).toFloatArray();
            for (int k = 0; k < K; k++) {
                assertEquals(expected[k], probabilities[k], 1e-6, sampling + ": probability of token " + k);
                assertEquals(expected[k], frequency[k], 4.5 * Math.sqrt(expected[k] * (1 - expected[k]) / N) + 1e-9,
                        sampling + ": frequency of token " + k);
            }
        }
    }

    @Test
    void withoutRestrictionTokensFollowTheSoftmax() {
        assertDrawsFollow(new TokenSampling(1, 0, 1), restricted(1, true, true, true, true, true, true), 1);
    }

    @Test
    void theTemperatureSharpensOrFlattensTheSoftmax() {
        assertDrawsFollow(new TokenSampling(0.5, 0, 1), restricted(0.5, true, true, true, true, true, true), 2);
        assertDrawsFollow(new TokenSampling(2, 0, 1), restricted(2, true, true, true, true, true, true), 3);
    }

    @Test
    void topKKeepsTheKMostLikelyTokens() {
        assertDrawsFollow(new TokenSampling(1, 3, 1), restricted(1, true, true, true, false, false, false), 4);
        assertDrawsFollow(new TokenSampling(1, 1, 1), restricted(1, true, false, false, false, false, false), 5);
    }

    @Test
    void nucleusSamplingKeepsTheSmallestSetReachingP() {
        double[] p = restricted(1, true, true, true, true, true, true);
        // the first two reach 0.7? then the set is those two; else three, and so on
        double p01 = p[0] + p[1];
        double p012 = p01 + p[2];
        assertEquals(true, p01 < 0.75 && p012 >= 0.75, "the logits put the 0.75 nucleus at three tokens: " + p012);
        assertDrawsFollow(new TokenSampling(1, 0, 0.75), restricted(1, true, true, true, false, false, false), 6);
        // top-k and top-p together: the tighter one wins
        assertDrawsFollow(new TokenSampling(1, 2, 0.75), restricted(1, true, true, false, false, false, false), 7);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenSampling(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampling(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampling(1, 0, 0));
    }
}
