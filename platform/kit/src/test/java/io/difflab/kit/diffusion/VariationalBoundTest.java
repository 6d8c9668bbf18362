package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.VarianceType;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariationalBoundTest {

    private static final double LN2 = Math.log(2);
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Bin centres of 8-bit data in [−1, 1]. */
    private static float[] binCentres(int... levels) {
        float[] x = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            x[i] = (float) (-1.0 + 2.0 * levels[i] / 255.0);
        }
        return x;
    }

    /** The exact ε for data known to be {@code xStart}: (x_t − √ᾱ_t x_0)/√(1 − ᾱ_t). */
    private static Denoiser knowing(NDArray xStart, DiffusionSchedule schedule) {
        return (xt, t, condition) -> DenoiserOutput.of(
                xt.sub(xStart.mul(schedule.sqrtAlphaCumprod(t))).div(schedule.sqrtOneMinusAlphaCumprod(t)));
    }

    @Test
    void priorTermMatchesTheClosedForm() {
        DiffusionSchedule schedule = LinearSchedule.of(1000);
        VariationalBound bound = new VariationalBound(new GaussianDiffusion(schedule));
        try (NDManager m = manager.newSubManager()) {
            float[] x0 = binCentres(0, 100, 255, 200);
            NDArray prior = bound.priorBpd(m.create(x0, new Shape(2, 2)));
            double a = schedule.alphaCumprod(999);
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int j = 0; j < 2; j++) {
                    double x = x0[2 * i + j];
                    // KL(N(√ᾱ x, 1 − ᾱ) ‖ N(0, 1)) = ½(−1 − log(1 − ᾱ) + (1 − ᾱ) + ᾱ x²)
                    sum += 0.5 * (-1 - Math.log(1 - a) + (1 - a) + a * x * x);
                }
                assertEquals(sum / 2 / LN2, prior.getFloat(i), 1e-7);
            }
        }
    }

    /**
     * The cosine schedule's ᾱ_T = 2.4e-9: in float32, (lv2 − lv1) + exp(lv1 − lv2) rounds to 1 and the
     * bound's prior term to 0; guided-diffusion's order, −1 + lv2 − lv1 + exp(lv1 − lv2) + ..., cancels
     * the 1s first and keeps the ½ᾱ_T·x_0² that is the term.
     */
    @Test
    void priorTermOfTheCosineScheduleSurvivesFloat32() {
        DiffusionSchedule schedule = CosineSchedule.of(1000);
        VariationalBound bound = new VariationalBound(new GaussianDiffusion(schedule));
        try (NDManager m = manager.newSubManager()) {
            float[] x0 = binCentres(0, 100, 255, 200);
            NDArray prior = bound.priorBpd(m.create(x0, new Shape(2, 2)));
            assertEquals(DataType.FLOAT32, prior.getDataType());
            double a = schedule.alphaCumprod(999);
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int j = 0; j < 2; j++) {
                    double x = x0[2 * i + j];
                    // ½(−1 − log(1 − ᾱ) + (1 − ᾱ) + ᾱ x²) = ½(ᾱ x² + ᾱ²/2 + O(ᾱ³))
                    sum += 0.5 * (a * x * x + a * a / 2);
                }
                double expected = sum / 2 / LN2;
                assertTrue(expected > 1e-10, "the closed form is " + expected);
                assertEquals(expected, prior.getFloat(i), 1e-3 * expected);
            }
        }
    }

    @Test
    void termsAgainstTheClosedFormForAnExactEstimate() {
        DiffusionSchedule schedule = LinearSchedule.of(1000);
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        VariationalBound bound = new VariationalBound(diffusion);
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.create(binCentres(10, 128, 240), new Shape(3, 1));
            int[] steps = {0, 1, 700};
            NDArray t = m.create(steps);
            NDArray eps = new SeededNoiseSource(5).normal(m, x0.getShape());
            NDArray xt = diffusion.qSample(x0, t, eps);
            DenoiserOutput exact = DenoiserOutput.of(eps);
            NDArray small = bound.term(exact, x0, xt, t, VarianceType.FIXED_SMALL, false).bits();
            NDArray large = bound.term(exact, x0, xt, t, VarianceType.FIXED_LARGE, false).bits();
            // L_0: the decoder mean is x_0 itself, σ = √β̃_1 (clipped) or β̃_1 for fixed large alike
            double sigma = Math.sqrt(schedule.posteriorVariance(1));
            double delta = 1.0 / 255.0;
            double mass = GaussianMath.approxStandardNormalCdf(delta / sigma) - GaussianMath.approxStandardNormalCdf(-delta / sigma);
            assertEquals(-Math.log(mass) / LN2, small.getFloat(0), 1e-4);
            assertEquals(-Math.log(mass) / LN2, large.getFloat(0), 1e-4);
            for (int i = 1; i < 3; i++) {
                int s = steps[i];
                // equal means: KL = 0 for Σ = β̃_t, and ½(−1 + log β_t − log β̃_t + β̃_t/β_t) for Σ = β_t
                assertEquals(0.0, small.getFloat(i), 1e-4);
                double ratio = schedule.posteriorVariance(s) / schedule.beta(s);
                double kl = 0.5 * (-1 - Math.log(ratio) + ratio);
                assertEquals(kl / LN2, large.getFloat(i), 1e-4);
            }
        }
    }

    @Test
    void bitsPerDimSumsThePriorAndEveryStep() {
        DiffusionSchedule schedule = LinearSchedule.of(1000)
                .respace(TimestepSpacing.evenly(1000, 10));
        VariationalBound bound = new VariationalBound(new GaussianDiffusion(schedule));
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.create(binCentres(3, 77, 128, 250), new Shape(2, 1, 1, 2));
            VariationalBound.BitsPerDim bpd = bound.bitsPerDim(knowing(x0, schedule), x0, Condition.none(),
                    new SeededNoiseSource(9), VarianceType.FIXED_SMALL, true);
            assertEquals(new Shape(2, 10), bpd.terms().getShape());
            double sigma = Math.sqrt(schedule.posteriorVariance(1));
            double delta = 1.0 / 255.0;
            double decoder = -Math.log(GaussianMath.approxStandardNormalCdf(delta / sigma)
                    - GaussianMath.approxStandardNormalCdf(-delta / sigma)) / LN2;
            for (int i = 0; i < 2; i++) {
                assertEquals(decoder, bpd.terms().getFloat(i, 0), 1e-4);
                for (int s = 1; s < 10; s++) {
                    assertEquals(0.0, bpd.terms().getFloat(i, s), 1e-4, "step " + s);
                }
                assertEquals(bpd.prior().getFloat(i) + bpd.terms().get(i).sum().getFloat(), bpd.total().getFloat(i), 1e-5);
                assertEquals(0.0, bpd.xStartMse().get(i).max().getFloat(), 1e-8);
            }
        }
    }
}
