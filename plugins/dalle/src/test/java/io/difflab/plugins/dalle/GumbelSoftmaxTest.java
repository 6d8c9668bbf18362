package io.difflab.plugins.dalle;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Gumbel-softmax sampler against its closed forms, on the real engine. */
class GumbelSoftmaxTest {

    private static final float[] LOGITS = {1.0f, 0.0f, -1.0f, 2.0f, 0.5f};
    private static final int K = LOGITS.length;
    private static final int N = 200_000;

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / temperature - max);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    /** N rows of the logits and Gumbel noise for them. */
    private static NDArray[] draws(NDManager m, long seed) {
        NDArray logits = m.create(LOGITS).reshape(1, K).repeat(0, N);
        NDArray gumbel = GumbelSoftmax.gumbel(new SeededNoiseSource(seed).uniform(m, (long) N * K).reshape(N, K));
        return new NDArray[] {logits, gumbel};
    }

    @Test
    void theArgmaxOfLogitsPlusGumbelNoiseIsDistributedAsTheSoftmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] d = draws(m, 11);
            long[] samples = GumbelSoftmax.hardSample(d[0], d[1], 1).toLongArray();
            double[] p = softmax(LOGITS, 1);
            double[] frequency = new double[K];
            for (long s : samples) {
                frequency[(int) s] += 1.0 / N;
            }
            for (int k = 0; k < K; k++) {
                // P(argmax = k) = softmax(l)_k, within 4.5 binomial standard deviations
                assertEquals(p[k], frequency[k], 4.5 * Math.sqrt(p[k] * (1 - p[k]) / N), "category " + k);
            }
            // the relaxed sample has the same argmax at any temperature (softmax is monotone)
            long[] relaxedArgmax = GumbelSoftmax.relaxed(d[0], d[1], 0.5, 1).argMax(1).toLongArray();
            assertArrayEquals(samples, relaxedArgmax);
        }
    }

    @Test
    void theRelaxedSampleTendsToTheOneHotSampleAsTheTemperatureFallsAndToUniformAsItRises() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] d = draws(m, 12);
            double[] p = softmax(LOGITS, 1);
            // τ → 0: y → one_hot(argmax), so E[y] → softmax(l)
            float[] cold = GumbelSoftmax.relaxed(d[0], d[1], 0.01, 1).mean(new int[] {0}).toFloatArray();
            for (int k = 0; k < K; k++) {
                assertEquals(p[k], cold[k], 4.5 * Math.sqrt(p[k] * (1 - p[k]) / N) + 2e-3, "τ = 0.01, category " + k);
            }
            // τ → ∞: y → 1/K in every category
            float[] hot = GumbelSoftmax.relaxed(d[0], d[1], 1e4, 1).mean(new int[] {0}).toFloatArray();
            for (int k = 0; k < K; k++) {
                assertEquals(1.0 / K, hot[k], 1e-3, "τ = 1e4, category " + k);
            }
            // every relaxed sample lies on the simplex
            NDArray sums = GumbelSoftmax.relaxed(d[0], d[1], 0.7, 1).sum(new int[] {1});
            assertEquals(1.0, sums.min().getFloat(), 1e-5);
            assertEquals(1.0, sums.max().getFloat(), 1e-5);
        }
    }

    @Test
    void theStraightThroughSampleIsOneHotForwardAndCarriesTheRelaxedGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS).reshape(1, K).repeat(0, 8);
            NDArray gumbel = GumbelSoftmax.gumbel(new SeededNoiseSource(3).uniform(m, 8L * K).reshape(8, K));
            NDArray weights = m.randomNormal(new Shape(8, K));
            NDArray[] gradients = new NDArray[2];
            NDArray hard = null;
            for (int variant = 0; variant < 2; variant++) {
                NDArray x = logits.duplicate();
                x.setRequiresGradient(true);
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray y = GumbelSoftmax.relaxed(x, gumbel, 0.5, 1);
                    if (variant == 1) {
                        y = GumbelSoftmax.straightThrough(y, 1);
                        hard = y.duplicate();
                    }
                    c.backward(y.mul(weights).sum());
                }
                gradients[variant] = x.getGradient().duplicate();
            }
            NDArray expected = GumbelSoftmax.oneHot(GumbelSoftmax.hardSample(logits, gumbel, 1), K, 1);
            assertEquals(0f, hard.sub(expected).abs().max().getFloat(), 1e-6f, "one-hot in the forward pass");
            assertEquals(0f, gradients[0].sub(gradients[1]).abs().max().getFloat(), 1e-6f,
                    "the relaxed sample's gradient in the backward pass");
        }
    }

    @Test
    void theKlToTheUniformPriorIsLogKMinusTheEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] q = softmax(LOGITS, 1);
            double kl = 0;
            for (double qk : q) {
                kl += qk * Math.log(K * qk);
            }
            // logits along axis 1 of a (1, K, 1, 1) grid, as the dVAE lays them out
            NDArray grid = m.create(LOGITS).reshape(1, K, 1, 1);
            assertEquals(kl, GumbelSoftmax.klToUniform(grid, 1).getFloat(), 1e-6);
            assertEquals(0.0, GumbelSoftmax.klToUniform(m.zeros(new Shape(1, K, 2, 2)), 1).max().getFloat(), 1e-6,
                    "the uniform posterior is the prior");
        }
    }

    @Test
    void oneHotVectorsLieAlongTheCategoryAxis() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray indices = m.create(new long[] {2, 0, 1, 2}, new Shape(1, 2, 2));
            NDArray hot = GumbelSoftmax.oneHot(indices, 3, 1);
            assertEquals(new Shape(1, 3, 2, 2), hot.getShape());
            assertArrayEquals(indices.toLongArray(), hot.argMax(1).toLongArray());
            assertEquals(4f, hot.sum().getFloat());
        }
    }
}
