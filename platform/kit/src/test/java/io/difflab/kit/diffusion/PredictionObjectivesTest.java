package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainingBatch;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.LinearSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The objectives regress what the estimator declares it predicts: a network that outputs the exact
 * ε, x_0 or v (Salimans &amp; Ho 2022) of its input costs nothing under its own parameterization and
 * a positive loss under the others; the conversions back to ε are exact.
 */
class PredictionObjectivesTest {

    private static final DiffusionSchedule SCHEDULE = LinearSchedule.of(1000);
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

    /** A "network" that knows x_0 and answers with the exact prediction of {@code p} at (x_t, t). */
    private static Function<NDList, NDList> oracle(Parameterization p, NDArray xStart) {
        return in -> {
            NDArray xt = in.get(0);
            NDArray t = in.get(1).toType(DataType.INT32, false);
            NDArray eps = DIFFUSION.predictEpsFromXStart(xt, t, xStart);
            return new NDList(Predictions.target(p, DIFFUSION, xStart, t, eps));
        };
    }

    private static double loss(Parameterization trained, Parameterization predicted, long seed) {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource data = new SeededNoiseSource(99);
            NDArray images = data.uniform(m, 8 * 16).mul(2).sub(1).reshape(new Shape(8, 1, 4, 4));
            TrainingBatch batch = new TrainingBatch(m, images, null, new SeededNoiseSource(seed));
            SimpleLossObjective objective = new SimpleLossObjective(DIFFUSION, trained,
                    new UniformScheduleSampler(SCHEDULE.timesteps()), ConditionDropout.NONE);
            return objective.loss(batch, oracle(predicted, images), new LinkedHashMap<>()).getFloat();
        }
    }

    @Test
    void eachObjectiveIsZeroForItsOwnExactPredictionOnly() {
        for (Parameterization trained : Parameterization.values()) {
            for (Parameterization predicted : Parameterization.values()) {
                double l = loss(trained, predicted, 5);
                if (trained == predicted) {
                    assertEquals(0.0, l, 1e-6, trained + " target (float32)");
                } else {
                    assertTrue(l > 1e-3, trained + " objective with a " + predicted + " prediction: " + l);
                }
            }
        }
    }

    @Test
    void everyPredictionConvertsBackToTheSameEpsilon() {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(4);
            Shape shape = new Shape(3, 1, 2, 2);
            NDArray x0 = noise.normal(m, shape).toType(DataType.FLOAT64, false);
            NDArray eps = noise.normal(m, shape).toType(DataType.FLOAT64, false);
            NDArray t = m.create(new int[] {0, 400, 999});
            NDArray xt = DIFFUSION.qSample(x0, t, eps);
            for (Parameterization p : Parameterization.values()) {
                NDArray back = Predictions.epsilon(p, DIFFUSION, Predictions.target(p, DIFFUSION, x0, t, eps), xt, t);
                assertEquals(0.0, back.sub(eps).abs().max().getDouble(), 1e-9, p.toString());
            }
            // v at t: √ᾱ ε − √(1 − ᾱ) x_0, by hand at t = 400
            double a = SCHEDULE.alphaCumprod(400);
            NDArray v = DIFFUSION.velocity(x0, t, eps);
            double expected = Math.sqrt(a) * eps.getDouble(1, 0, 1, 1) - Math.sqrt(1 - a) * x0.getDouble(1, 0, 1, 1);
            assertEquals(expected, v.getDouble(1, 0, 1, 1), 1e-12);
        }
    }
}
