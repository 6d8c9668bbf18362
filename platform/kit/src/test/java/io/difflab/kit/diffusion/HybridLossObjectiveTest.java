package io.difflab.kit.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.TrainingBatch;
import io.difflab.api.VarianceType;
import io.difflab.kit.engine.BufferChurn;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** L_hybrid (Nichol &amp; Dhariwal 2021, sec. 3.1): its terms against closed forms, and the stop-gradient. */
class HybridLossObjectiveTest {

    private static final int T = 1000;
    private static final double LN2 = Math.log(2);
    private static final DiffusionSchedule SCHEDULE = CosineSchedule.of(T);
    private static final GaussianDiffusion DIFFUSION = new GaussianDiffusion(SCHEDULE);
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** x_0, ε and x_t = q_sample(x_0, t, ε) for a batch at one step, in float64. */
    private static NDArray[] noisedBatch(NDManager m, int step) {
        SeededNoiseSource noise = new SeededNoiseSource(3);
        Shape shape = new Shape(2, 1, 4, 4);
        NDArray xStart = noise.uniform(m, shape.size()).mul(2).sub(1).reshape(shape).toType(DataType.FLOAT64, false);
        NDArray eps = noise.normal(m, shape).toType(DataType.FLOAT64, false);
        NDArray t = m.full(new Shape(2), step);
        return new NDArray[] {xStart, eps, t, DIFFUSION.qSample(xStart, t, eps)};
    }

    @Test
    void theExactEpsilonWithTheTrueVarianceCostsNothingAndBetaCostsItsKl() {
        HybridLossObjective hybrid = new HybridLossObjective(DIFFUSION, 0.001);
        for (int step : new int[] {1, 100, 700}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray[] b = noisedBatch(m, step);
                // raw v = −1 is the fraction 0, Σ = β̃_t: p_θ equals the posterior q(x_{t−1} | x_t, x_0)
                HybridLossObjective.Terms exact = hybrid.terms(b[1].concat(b[1].onesLike().neg(), 1), b[0], b[3],
                        b[2], b[1]);
                assertEquals(0.0, exact.mse().abs().max().getDouble(), 0.0);
                assertEquals(0.0, exact.vlb().abs().max().getDouble(), 1e-9, "t=" + step);
                // raw v = +1 is Σ = β_t: same means, so KL = ½(−1 + log(β/β̃) + β̃/β) per dimension
                HybridLossObjective.Terms large = hybrid.terms(b[1].concat(b[1].onesLike(), 1), b[0], b[3], b[2], b[1]);
                double beta = SCHEDULE.beta(step);
                double betaTilde = SCHEDULE.posteriorVariance(step);
                double kl = 0.5 * (-1 + Math.log(beta / betaTilde) + betaTilde / beta);
                // the VLB estimate is T·L_t, in bits/dim
                assertEquals(T * kl / LN2, large.vlb().getDouble(0), 1e-9 * T * kl, "t=" + step);
            }
        }
    }

    @Test
    void theVlbTermSendsNoGradientToTheMean() {
        HybridLossObjective hybrid = new HybridLossObjective(DIFFUSION, 0.001);
        try (NDManager m = manager.newSubManager()) {
            SplitHeadNetwork net = new SplitHeadNetwork(1);
            net.initialize(m, DataType.FLOAT64, new Shape(2, 1, 4, 4), new Shape(2));
            ParameterStore ps = new ParameterStore(m, false);
            for (int step : new int[] {0, 5, 400}) {
                NDArray[] b = noisedBatch(m, step);
                backward(m, () -> hybrid.terms(net.forward(ps, new NDList(b[3], b[2]), true).head(), b[0], b[3], b[2],
                        b[1]).vlb().mean());
                double toMean = net.weightGradient(true).abs().sum().getDouble();
                double toVariance = net.weightGradient(false).abs().sum().getDouble();
                assertEquals(0.0, toMean, 0.0, "the mean's parameters get no gradient from L_vlb at t=" + step);
                assertTrue(toVariance > 1e-6, "v learns from L_vlb at t=" + step + ": " + toVariance);
                // the control: the same term with ε not detached does reach the mean's parameters
                backward(m, () -> {
                    NDArray out = net.forward(ps, new NDList(b[3], b[2]), true).head();
                    DenoiserOutput attached = new DenoiserOutput(out.get(":, :1"), out.get(":, 1:").add(1).div(2), null);
                    return new VariationalBound(DIFFUSION).term(attached, b[0], b[3], b[2], VarianceType.LEARNED_RANGE,
                            false).bits().mean();
                });
                assertTrue(net.weightGradient(true).abs().sum().getDouble() > 1e-6, "control at t=" + step);
            }
        }
    }

    private static void backward(NDManager m, java.util.function.Supplier<NDArray> loss) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.zeroGradients();
            collector.backward(loss.get());
        }
    }

    @Test
    void theVlbGradientIsTheSameWhenTheCollectorRunsBeforeBackward() {
        HybridLossObjective hybrid = new HybridLossObjective(DIFFUSION, 0.001);
        try (NDManager m = manager.newSubManager()) {
            NDArray[] b = noisedBatch(m, 0);
            b[2] = m.create(new int[] {0, 300});
            b[3] = DIFFUSION.qSample(b[0], b[2], b[1]);
            NDArray output = b[1].mul(0.9).concat(b[1].onesLike().mul(0.3), 1);
            double[][] gradients = new double[2][];
            for (int churn = 0; churn < 2; churn++) {
                NDArray o = output.duplicate();
                o.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray vlb = hybrid.terms(o, b[0], b[3], b[2], b[1]).vlb().sum();
                    if (churn == 1) {
                        BufferChurn.run(m);
                    }
                    collector.backward(vlb);
                }
                gradients[churn] = o.getGradient().toDoubleArray();
            }
            // t = 0 (the decoder term) and t = 300 (a KL term) both reach v, neither reaches ε
            assertTrue(java.util.Arrays.stream(gradients[0]).map(Math::abs).sum() > 0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(gradients[0], gradients[1], 0.0);
        }
    }

    @Test
    void theLossIsLSimplePlusLambdaTimesTheVlbEstimateAndLogsBoth() {
        double lambda = 0.001;
        HybridLossObjective hybrid = new HybridLossObjective(DIFFUSION, lambda);
        try (NDManager m = manager.newSubManager()) {
            SplitHeadNetwork net = new SplitHeadNetwork(1);
            net.initialize(m, DataType.FLOAT32, new Shape(8, 1, 4, 4), new Shape(8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = new SeededNoiseSource(5).uniform(m, 8 * 16).mul(2).sub(1).reshape(8, 1, 4, 4);
            Function<NDList, NDList> network = in -> net.forward(ps, in, false);
            Map<String, NDArray> extra = new LinkedHashMap<>();
            NDArray loss = hybrid.loss(new TrainingBatch(m, images, null, new SeededNoiseSource(9)), network, extra);
            // the same draws again, through terms()
            SeededNoiseSource noise = new SeededNoiseSource(9);
            NDArray t = noise.randint(m, T, 8);
            NDArray eps = noise.normal(m, images.getShape());
            NDArray xt = DIFFUSION.qSample(images, t, eps);
            HybridLossObjective.Terms terms = hybrid.terms(
                    network.apply(new NDList(xt, t.toType(DataType.FLOAT32, false))).head(), images, xt, t, eps);
            double expected = terms.mse().add(terms.vlb().mul(lambda)).mean().getFloat();
            assertEquals(expected, loss.getFloat(), 1e-6 * expected);
            assertEquals(terms.mse().mean().getFloat(), extra.get("train.mse").getFloat(), 1e-6);
            assertEquals(terms.vlb().mean().getFloat(), extra.get("train.vlb").getFloat(), 1e-4);
            assertTrue(extra.get("train.vlb").getFloat() > 0, "a random network's bound is positive");
        }
    }
}
