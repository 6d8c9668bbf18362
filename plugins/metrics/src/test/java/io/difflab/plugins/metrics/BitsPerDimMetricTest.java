package io.difflab.plugins.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.MetricInput;
import io.difflab.api.RunContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bits/dim on a dataset of one image x*, whose exact denoiser is known in closed form:
 * ε*(x_t, t) = (x_t − √ᾱ_t x*) / √(1 − ᾱ_t).
 */
class BitsPerDimMetricTest {

    private static final int T = 40;
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    private static final float[] X_STAR = new float[SHAPE.size()];
    private static final DiffusionSchedule SCHEDULE;

    static {
        double[] betas = new double[T];
        for (int t = 0; t < T; t++) {
            betas[t] = 1e-3 + (0.25 - 1e-3) * t / (T - 1);
        }
        SCHEDULE = DiffusionSchedule.fromBetas(betas);
        for (int i = 0; i < X_STAR.length; i++) {
            X_STAR[i] = (i * 17 % 256) * 2f / 255f - 1f; // on the 8-bit grid, including −1
        }
    }

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void theExactDenoiserLeavesOnlyThePriorAndTheDecoder() {
        Map<String, Double> bpd = bpd(exactDenoiser(), "fixed_small");
        double prior = closedFormPriorBpd();
        assertEquals(prior, bpd.get("eval.bpd.prior"), 1e-5 * Math.max(1, prior));
        // with Σ = β̃_t, p_θ(x_{t−1}|x_t) is exactly q(x_{t−1}|x_t, x*): every L_{t−1} (t ≥ 1) is 0
        assertEquals(bpd.get("eval.bpd.prior") + bpd.get("eval.bpd.decoder"), bpd.get("eval.bpd"), 1e-4);
        // L_0: the mean at t = 0 is x* itself, σ² = β̃_1; each pixel's bin has half-width 1/255
        assertEquals(closedFormDecoderBpd(), bpd.get("eval.bpd.decoder"), 2e-2 * closedFormDecoderBpd());
        assertEquals(8.0, bpd.get("eval.bpd.n"));
    }

    @Test
    void aWorseDenoiserOrAMismatchedVarianceCostsBits() {
        double exact = bpd(exactDenoiser(), "fixed_small").get("eval.bpd");
        double large = bpd(exactDenoiser(), "fixed_large").get("eval.bpd");
        double zero = bpd((xt, t, c) -> DenoiserOutput.of(xt.zerosLike()), "fixed_small").get("eval.bpd");
        assertTrue(Double.isFinite(zero) && zero > exact && large > exact,
                "exact " + exact + ", fixed_large " + large + ", ε = 0 " + zero);
    }

    @Test
    void withoutADiffusionModelItIsSkipped() {
        MetricInput input = new MetricInput(manager.zeros(SHAPE.batch(1)), Map.of(), null, new OneImage(), null, null,
                Map.of(), config("auto"), new RunContext("t", 0, Device.cpu(), Path.of(".")));
        assertEquals(Map.of(), new BitsPerDimMetric(StderrProgress.FACTORY).compute(input));
    }

    private static Map<String, Double> bpd(Denoiser denoiser, String variance) {
        MetricInput input = new MetricInput(manager.zeros(SHAPE.batch(2)), Map.of(), null, new OneImage(), SCHEDULE,
                denoiser, Map.of(), config(variance), new RunContext("t", 0, Device.cpu(), Path.of(".")));
        return new BitsPerDimMetric(StderrProgress.FACTORY).compute(input);
    }

    private static Config config(String variance) {
        return new Config("metrics[0]", Map.of("count", 8, "batch_size", 3, "variance", variance,
                "clip_denoised", true));
    }

    private static Denoiser exactDenoiser() {
        return (xt, t, condition) -> {
            NDArray xStar = xt.getManager().create(X_STAR, SHAPE.batch(1));
            return DenoiserOutput.of(xt.sub(xStar.mul(SCHEDULE.sqrtAlphaCumprod(t)))
                    .div(SCHEDULE.sqrtOneMinusAlphaCumprod(t)));
        };
    }

    /** KL(N(√ᾱ_T x, 1 − ᾱ_T) ‖ N(0, 1)) = ½(−log(1 − ᾱ_T) + (1 − ᾱ_T) + ᾱ_T x² − 1), averaged, in bits. */
    private static double closedFormPriorBpd() {
        double abar = SCHEDULE.alphaCumprod(T - 1);
        double sum = 0;
        for (float x : X_STAR) {
            sum += 0.5 * (-Math.log(1 - abar) + (1 - abar) + abar * x * x - 1);
        }
        return sum / X_STAR.length / Math.log(2);
    }

    /** −log₂ P(bin of x* | N(x*, β̃_1)), averaged: 2Φ(δ/σ) − 1 inside, Φ(δ/σ) at the edges, δ = 1/255. */
    private static double closedFormDecoderBpd() {
        double sigma = Math.sqrt(SCHEDULE.posteriorVariance(1));
        double z = (1.0 / 255) / sigma;
        double inside = 2 * phi(z) - 1;
        double sum = 0;
        for (float x : X_STAR) {
            boolean edge = x <= -0.999 || x >= 0.999;
            sum += -Math.log(edge ? phi(z) : inside);
        }
        return sum / X_STAR.length / Math.log(2);
    }

    private static double phi(double z) {
        return 0.5 * (1 + org.apache.commons.math3.special.Erf.erf(z / Math.sqrt(2)));
    }

    /** Eight copies of x*. */
    private static final class OneImage implements ImageDataset {
        @Override public String id() { return "one/test"; }
        @Override public int size() { return 8; }
        @Override public ImageShape shape() { return SHAPE; }
        @Override public void copyImage(int index, float[] into, int offset) {
            System.arraycopy(X_STAR, 0, into, offset, X_STAR.length);
        }
        @Override public int label(int index) { return -1; }
        @Override public int numClasses() { return 0; }
        @Override public List<String> classNames() { return List.of(); }
        @Override public String checksum() { return "0"; }
    }
}
