package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GaussianMathTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void normalKlMatchesTheClosedForm() {
        try (NDManager m = manager.newSubManager()) {
            SplittableRandom random = new SplittableRandom(7);
            int n = 50;
            float[] mean1 = new float[n];
            float[] logvar1 = new float[n];
            float[] mean2 = new float[n];
            float[] logvar2 = new float[n];
            for (int i = 0; i < n; i++) {
                mean1[i] = (float) random.nextDouble(-2, 2);
                mean2[i] = (float) random.nextDouble(-2, 2);
                logvar1[i] = (float) random.nextDouble(-4, 1);
                logvar2[i] = (float) random.nextDouble(-4, 1);
            }
            NDArray kl = GaussianMath.normalKl(m.create(mean1), m.create(logvar1), m.create(mean2), m.create(logvar2));
            for (int i = 0; i < n; i++) {
                double s1 = Math.exp(0.5 * logvar1[i]);
                double s2 = Math.exp(0.5 * logvar2[i]);
                // KL(N(μ1,σ1²) ‖ N(μ2,σ2²)) = log(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − ½
                double expected = Math.log(s2 / s1) + (s1 * s1 + Math.pow(mean1[i] - mean2[i], 2)) / (2 * s2 * s2) - 0.5;
                assertEquals(expected, kl.getFloat(i), 1e-4 * Math.max(1, expected));
            }
            NDArray self = GaussianMath.normalKl(m.create(mean1), m.create(logvar1), m.create(mean1), m.create(logvar1));
            assertEquals(0f, self.abs().max().getFloat(), 1e-6);
        }
    }

    @Test
    void approximateNormalCdfIsCloseToTheTrueOne() {
        assertEquals(0.5, GaussianMath.approxStandardNormalCdf(0.0), 0.0);
        // Φ(1) = 0.841345, Φ(−1.96) = 0.024998 (tables)
        assertEquals(0.841345, GaussianMath.approxStandardNormalCdf(1.0), 1e-3);
        assertEquals(0.024998, GaussianMath.approxStandardNormalCdf(-1.96), 1e-3);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {-3f, -1f, 0f, 0.5f, 2f});
            NDArray cdf = GaussianMath.approxStandardNormalCdf(x);
            for (int i = 0; i < 5; i++) {
                assertEquals(GaussianMath.approxStandardNormalCdf(x.getFloat(i)), cdf.getFloat(i), 1e-6);
            }
        }
    }

    @Test
    void discretizedLikelihoodSumsToOneOverTheBins() {
        try (NDManager m = manager.newSubManager()) {
            // the 256 bin centres of [−1, 1]
            float[] centres = new float[256];
            for (int k = 0; k < 256; k++) {
                centres[k] = (float) (-1.0 + 2.0 * k / 255.0);
            }
            NDArray x = m.create(centres);
            double[][] meansAndScales = {{0.0, 0.1}, {0.3, 0.01}, {-0.9, 0.5}, {1.5, 1.0}, {0.0, 0.001}};
            for (double[] ms : meansAndScales) {
                NDArray logp = GaussianMath.discretizedGaussianLogLikelihood(x,
                        m.full(new Shape(256), (float) ms[0]), m.full(new Shape(256), (float) Math.log(ms[1])));
                double total = logp.exp().sum().getFloat();
                assertEquals(1.0, total, 1e-4, "mean " + ms[0] + " scale " + ms[1]);
            }
        }
    }

    @Test
    void discretizedLikelihoodOfOneBinIsItsGaussianMass() {
        try (NDManager m = manager.newSubManager()) {
            double sigma = 0.02;
            NDArray logp = GaussianMath.discretizedGaussianLogLikelihood(m.create(new float[] {0.2f, -1f, 1f}),
                    m.create(new float[] {0.21f, -1f, 0.99f}), m.full(new Shape(3), (float) Math.log(sigma)));
            double delta = 1.0 / 255.0;
            double interior = GaussianMath.approxStandardNormalCdf((-0.01 + delta) / sigma)
                    - GaussianMath.approxStandardNormalCdf((-0.01 - delta) / sigma);
            assertEquals(Math.log(interior), logp.getFloat(0), 1e-4);
            // the edge bins reach to −∞ and +∞
            assertEquals(Math.log(GaussianMath.approxStandardNormalCdf(delta / sigma)), logp.getFloat(1), 1e-4);
            assertEquals(Math.log(1 - GaussianMath.approxStandardNormalCdf((0.01 - delta) / sigma)), logp.getFloat(2), 1e-4);
        }
    }
}
