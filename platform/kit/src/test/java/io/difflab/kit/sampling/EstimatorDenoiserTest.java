package io.difflab.kit.sampling;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Parameterization;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks that know the data is the point c predict ε, x_0 or v exactly from x_t and the original
 * timestep they are given; the adapter must turn each into the same exact ε on a respaced schedule.
 */
class EstimatorDenoiserTest {

    private static final DiffusionSchedule FULL = CosineSchedule.of(1000);
    private static final DiffusionSchedule RESPACED = FULL.respace(TimestepSpacing.evenly(1000, 20));
    private static final double C = 0.4;
    private static final ImageShape SHAPE = new ImageShape(2, 3, 3);
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** A network computing {@code prediction(x_t, original t)}, plus a constant raw v = 0.5 when learning Σ. */
    private static EstimatorNetwork network(Parameterization parameterization, boolean learnsVariance) {
        Function<NDList, NDList> forward = inputs -> {
            NDArray xt = inputs.get(0);
            int original = Math.round(inputs.get(1).getFloat(0));
            double a = FULL.alphaCumprod(original);
            NDArray eps = xt.sub(Math.sqrt(a) * C).div(Math.sqrt(1 - a));
            NDArray prediction = switch (parameterization) {
                case EPSILON -> eps;
                case X0 -> xt.zerosLike().add(C);
                case V -> eps.mul(Math.sqrt(a)).sub(Math.sqrt(1 - a) * C);
            };
            return new NDList(learnsVariance ? prediction.concat(xt.zerosLike().add(0.5), 1) : prediction);
        };
        return new EstimatorNetwork(new LambdaBlock(forward), parameterization, new EstimatorSpec(SHAPE, 0, learnsVariance));
    }

    @Test
    void everyParameterizationBecomesTheExactEpsilonAtTheMappedTimestep() {
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = new SeededNoiseSource(3).normal(m, SHAPE.batch(2));
            for (int step : new int[] {0, 7, 19}) {
                double a = RESPACED.alphaCumprod(step);
                NDArray exact = xt.sub(Math.sqrt(a) * C).div(Math.sqrt(1 - a));
                for (Parameterization p : Parameterization.values()) {
                    EstimatorDenoiser denoiser = new EstimatorDenoiser(network(p, false), new ParameterStore(m, false), RESPACED);
                    DenoiserOutput out = denoiser.predict(xt, step, Condition.none());
                    assertTrue(out.epsilon().allClose(exact, 1e-3, 1e-4, false), p + " at step " + step);
                    assertNull(out.varianceFraction());
                }
            }
        }
    }

    @Test
    void learnedVarianceIsSplitOffAsAFraction() {
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = m.zeros(SHAPE.batch(3));
            EstimatorDenoiser denoiser = new EstimatorDenoiser(network(Parameterization.EPSILON, true),
                    new ParameterStore(m, false), RESPACED);
            DenoiserOutput out = denoiser.predict(xt, 5, Condition.none());
            assertEquals(SHAPE.batch(3), out.epsilon().getShape());
            assertEquals(SHAPE.batch(3), out.varianceFraction().getShape());
            // (v + 1)/2 with v = 0.5 (Nichol & Dhariwal 2021, eq. 15)
            assertEquals(0.75f, out.varianceFraction().min().getFloat(), 1e-7);
            assertEquals(0.75f, out.varianceFraction().max().getFloat(), 1e-7);
        }
    }

    @Test
    void onlyTheOutputsStayInTheCallersManager() {
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = m.zeros(SHAPE.batch(2));
            EstimatorDenoiser denoiser = new EstimatorDenoiser(network(Parameterization.V, true),
                    new ParameterStore(m, false), RESPACED);
            int before = ((BaseNDManager) m).getManagedArrays().size();
            DenoiserOutput out = denoiser.predict(xt, 3, Condition.none());
            assertEquals(before + 2, ((BaseNDManager) m).getManagedArrays().size());
            assertEquals(m, out.epsilon().getManager());
            assertEquals(m, xt.getManager());
        }
    }
}
