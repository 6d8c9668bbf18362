package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.LinearSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianDiffusionTest {

    private static NDManager manager;
    private static final DiffusionSchedule SCHEDULE = LinearSchedule.of(1000);
    private static final GaussianDiffusion DIFFUSION = new GaussianDiffusion(SCHEDULE);

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void forwardProcessMomentsByMonteCarlo() {
        try (NDManager m = manager.newSubManager()) {
            int n = 20000;
            int[] steps = {0, 100, 500, 999};
            SeededNoiseSource noise = new SeededNoiseSource(1);
            for (int step : steps) {
                double x0 = 0.7;
                NDArray xStart = m.full(new Shape(n, 1, 1, 1), (float) x0);
                NDArray t = m.full(new Shape(n), step);
                NDArray xt = DIFFUSION.qSample(xStart, t, noise.normal(m, xStart.getShape()));
                double alphaBar = SCHEDULE.alphaCumprod(step);
                double mean = xt.mean().getFloat();
                double variance = xt.sub(mean).square().mean().getFloat();
                // Ho et al. 2020, eq. 4; tolerances of 4 standard errors
                double sd = Math.sqrt(1 - alphaBar);
                assertEquals(Math.sqrt(alphaBar) * x0, mean, 4 * sd / Math.sqrt(n), "mean at t=" + step);
                assertEquals(1 - alphaBar, variance, 4 * (1 - alphaBar) * Math.sqrt(2.0 / n), "variance at t=" + step);

                DiagonalGaussian q = DIFFUSION.qMeanVariance(xStart, t);
                assertEquals(Math.sqrt(alphaBar) * x0, q.mean().getFloat(0, 0, 0, 0), 1e-6);
                assertEquals(1 - alphaBar, q.variance().getFloat(0, 0, 0, 0), 1e-6);
                assertEquals(Math.log(1 - alphaBar), q.logVariance().getFloat(0, 0, 0, 0), 1e-5);
            }
        }
    }

    @Test
    void posteriorMatchesTheProductOfGaussians() {
        try (NDManager m = manager.newSubManager()) {
            int[] steps = {1, 2, 10, 400, 999};
            float[] x0 = {0.3f, -0.8f, 0.0f, 1.0f, -0.2f};
            float[] xt = {1.2f, -0.1f, 0.5f, -2.0f, 0.9f};
            NDArray t = m.create(steps);
            DiagonalGaussian post = DIFFUSION.qPosteriorMeanVariance(
                    m.create(x0, new Shape(5, 1)), m.create(xt, new Shape(5, 1)), t);
            for (int i = 0; i < steps.length; i++) {
                int s = steps[i];
                // q(x_{t−1}|x_t,x_0) ∝ N(x_t; √α_t x_{t−1}, β_t) · N(x_{t−1}; √ᾱ_{t−1} x_0, 1 − ᾱ_{t−1})
                double precision = SCHEDULE.alpha(s) / SCHEDULE.beta(s) + 1 / (1 - SCHEDULE.alphaCumprodPrev(s));
                double mean = (Math.sqrt(SCHEDULE.alpha(s)) * xt[i] / SCHEDULE.beta(s)
                        + Math.sqrt(SCHEDULE.alphaCumprodPrev(s)) * x0[i] / (1 - SCHEDULE.alphaCumprodPrev(s))) / precision;
                assertEquals(mean, post.mean().getFloat(i, 0), 1e-5, "mean at t=" + s);
                assertEquals(1 / precision, post.variance().getFloat(i, 0), 1e-6 / precision, "variance at t=" + s);
                assertEquals(Math.log(1 / precision), post.logVariance().getFloat(i, 0), 1e-5, "log variance at t=" + s);
            }
        }
    }

    @Test
    void posteriorAtTheFirstStepIsTheDataPoint() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.create(new float[] {0.25f, -0.5f}, new Shape(2, 1));
            DiagonalGaussian post = DIFFUSION.qPosteriorMeanVariance(x0, m.create(new float[] {3f, -3f}, new Shape(2, 1)),
                    m.zeros(new Shape(2), DataType.INT32));
            assertEquals(0.25f, post.mean().getFloat(0, 0), 1e-7);
            assertEquals(-0.5f, post.mean().getFloat(1, 0), 1e-7);
            assertEquals(0f, post.variance().getFloat(0, 0));
        }
    }

    @Test
    void epsilonAndXStartConvertBackAndForth() {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(2);
            NDArray xStart = noise.normal(m, new Shape(4, 2, 3, 3)).clip(-1, 1);
            NDArray eps = noise.normal(m, xStart.getShape());
            NDArray t = m.create(new int[] {0, 10, 500, 999});
            NDArray xt = DIFFUSION.qSample(xStart, t, eps);
            assertTrue(DIFFUSION.predictXStartFromEps(xt, t, eps).allClose(xStart, 1e-4, 1e-4, false));
            // at t = 999 √(1/ᾱ − 1) ≈ 156 magnifies float32 rounding of x_t
            assertTrue(DIFFUSION.predictEpsFromXStart(xt, t, xStart).allClose(eps, 1e-3, 1e-3, false));
        }
    }

    @Test
    void reverseVarianceIsFixedSmallFixedLargeOrLearned() {
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = m.zeros(new Shape(3, 1, 2, 2));
            NDArray t = m.create(new int[] {0, 1, 600});
            DenoiserOutput out = new DenoiserOutput(m.zeros(xt.getShape()), m.full(xt.getShape(), 0.25f), null);
            PMeanVariance small = DIFFUSION.pMeanVariance(out, xt, t, VarianceType.FIXED_SMALL, false);
            PMeanVariance large = DIFFUSION.pMeanVariance(out, xt, t, VarianceType.FIXED_LARGE, false);
            PMeanVariance learned = DIFFUSION.pMeanVariance(out, xt, t, VarianceType.LEARNED_RANGE, false);
            int[] steps = {0, 1, 600};
            for (int i = 0; i < 3; i++) {
                int s = steps[i];
                assertEquals(SCHEDULE.posteriorVariance(s), small.variance().getFloat(i, 0, 0, 0), 1e-9);
                assertEquals(SCHEDULE.posteriorLogVarianceClipped(s), small.logVariance().getFloat(i, 0, 0, 0), 1e-5);
                // β_t, except β̃_1 at t = 0 (guided-diffusion)
                double beta = s == 0 ? SCHEDULE.posteriorVariance(1) : SCHEDULE.beta(s);
                assertEquals(beta, large.variance().getFloat(i, 0, 0, 0), 1e-9);
                // Nichol & Dhariwal 2021, eq. 15 with v = 0.25
                double logSigma = 0.25 * Math.log(SCHEDULE.beta(s)) + 0.75 * SCHEDULE.posteriorLogVarianceClipped(s);
                assertEquals(logSigma, learned.logVariance().getFloat(i, 0, 1, 0), 1e-5);
                assertEquals(Math.exp(logSigma), learned.variance().getFloat(i, 0, 1, 1), 1e-7);
            }
            DenoiserOutput fixed = DenoiserOutput.of(m.zeros(xt.getShape()));
            assertThrows(UserError.class, () -> DIFFUSION.pMeanVariance(fixed, xt, t, VarianceType.LEARNED_RANGE, false));
        }
    }

    @Test
    void reverseMeanIsThePosteriorMeanAtTheClippedEstimate() {
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = m.create(new float[] {0.9f, -0.4f}, new Shape(2, 1));
            NDArray eps = m.create(new float[] {-3.0f, 0.1f}, new Shape(2, 1));
            NDArray t = m.create(new int[] {300, 300});
            PMeanVariance p = DIFFUSION.pMeanVariance(DenoiserOutput.of(eps), xt, t, VarianceType.FIXED_SMALL, true);
            double[] expectedX0 = new double[2];
            for (int i = 0; i < 2; i++) {
                double x0 = SCHEDULE.sqrtRecipAlphaCumprod(300) * xt.getFloat(i, 0)
                        - SCHEDULE.sqrtRecipm1AlphaCumprod(300) * eps.getFloat(i, 0);
                expectedX0[i] = Math.max(-1, Math.min(1, x0));
                assertEquals(expectedX0[i], p.predXStart().getFloat(i, 0), 1e-5);
                double mean = SCHEDULE.posteriorMeanCoef1(300) * expectedX0[i] + SCHEDULE.posteriorMeanCoef2(300) * xt.getFloat(i, 0);
                assertEquals(mean, p.mean().getFloat(i, 0), 1e-5);
            }
            assertEquals(1.0, expectedX0[0]);
        }
    }

    @Test
    void simpleLossIsZeroForAPerfectPredictorAndTheMeanSquaredErrorOtherwise() {
        try (NDManager m = manager.newSubManager()) {
            NDArray eps = new SeededNoiseSource(3).normal(m, new Shape(4, 1, 3, 3));
            assertEquals(0f, SimpleLoss.mean(eps, eps.duplicate()).getFloat());
            NDArray shifted = eps.add(m.create(new float[] {1, 2, 0, 0}).reshape(4, 1, 1, 1));
            // Ho et al. 2020, eq. 14: ‖ε − ε_θ‖² averaged over all dimensions
            assertEquals((1 + 4) / 4.0, SimpleLoss.mean(eps, shifted).getFloat(), 1e-6);
            assertEquals(4.0, SimpleLoss.perSample(eps, shifted).getFloat(1), 1e-6);
        }
    }
}
