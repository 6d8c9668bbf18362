package io.difflab.kit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link AdamOptimizer} against Adam written out by hand ({@link AdamReference}) on the quadratic
 * bowl: bias correction, the learning rate and the gradient scale (the clipping factor), and a
 * restore that continues the bias correction where it stopped.
 */
class AdamOptimizerTest {

    /** float32 weights against double arithmetic, a few steps. */
    private static final double TOLERANCE = 2e-6;

    /** The exact gradient of the bowl at the current weights, through the engine's autograd. */
    private static void backward(TrainingSession session, NDManager manager) {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList out = session.block().forward(session.trainingStore(), new NDList(step.zeros(new Shape(1))), true);
            collector.backward(QuadraticBowl.loss(out));
        }
    }

    private static double[] weights(TrainingSession session, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            return QuadraticBowl.weights(session.block().forward(session.trainingStore(),
                    new NDList(scratch.zeros(new Shape(1))), false));
        }
    }

    /** Adam's first moments ("m.") or second moments ("v.") in parameter order, u then v. */
    private static double[] moments(TrainingSession session, NDManager manager, String prefix) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList state = session.optimizer().state(scratch);
            Map<String, NDArray> byName = ParameterStates.byName(state);
            float[] u = byName.get(prefix + "u").toFloatArray();
            float[] v = byName.get(prefix + "v").toFloatArray();
            return new double[] {u[0], u[1], v[0], v[1], v[2]};
        }
    }

    @Test
    void theFirstStepMovesEveryWeightByTheLearningRateThanksToTheBiasCorrection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            double lr = 0.01;
            backward(session, manager);
            session.optimizer().step(lr, 1.0);
            double[] g = QuadraticBowl.gradient(QuadraticBowl.START);
            double[] after = weights(session, manager);
            for (int j = 0; j < g.length; j++) {
                // m̂_1 = g, v̂_1 = g²: the step is lr·g/(|g| + ε̂/√(1−β2)), i.e. lr against the gradient's sign.
                // Without the correction it would be lr·(1−β1)/√(1−β2) ≈ 3.16·lr.
                double expected = QuadraticBowl.START[j] - lr * Math.sqrt(1 - AdamReference.BETA2) * g[j]
                        / (Math.sqrt(1 - AdamReference.BETA2) * Math.abs(g[j]) + AdamReference.EPSILON);
                assertEquals(expected, after[j], TOLERANCE, "weight " + j);
                assertEquals(lr, Math.abs(after[j] - QuadraticBowl.START[j]), 1e-6, "weight " + j + " moves by lr");
            }
            assertEquals(1, session.optimizer().updates());
        }
    }

    @Test
    void stepsWithChangingLearningRatesAndGradientScalesFollowAdamByHand() {
        double[] lrs = {0.1, 0.05, 0.2, 0.1, 0.02, 0.1};
        double[] scales = {1.0, 0.5, 1.0, 0.25, 1.0, 0.8};
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            AdamReference reference = new AdamReference(QuadraticBowl.START);
            for (int k = 0; k < lrs.length; k++) {
                double[] g = QuadraticBowl.gradient(reference.theta);
                backward(session, manager);
                session.optimizer().step(lrs[k], scales[k]);
                reference.adam(g, lrs[k], scales[k]);
                assertArrayEquals(reference.theta, weights(session, manager), TOLERANCE, "weights after step " + (k + 1));
                assertRelative(reference.m, moments(session, manager, "m."), "m after step " + (k + 1));
                assertRelative(reference.v, moments(session, manager, "v."), "v after step " + (k + 1));
            }
            assertEquals(lrs.length, session.optimizer().updates());
        }
    }

    @Test
    void theStepIsProportionalToTheLearningRateAndTheFirstIsBlindToTheGradientScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] deltaSmall = firstStep(manager, 0.01, 1.0);
            double[] deltaLarge = firstStep(manager, 0.04, 1.0);
            double[] deltaScaled = firstStep(manager, 0.01, 0.1);
            for (int j = 0; j < deltaSmall.length; j++) {
                assertEquals(4 * deltaSmall[j], deltaLarge[j], 1e-6, "weight " + j);
                // m̂/√v̂ does not change when g is scaled (up to ε̂): clipping alone changes the moments, not step 1
                assertEquals(deltaSmall[j], deltaScaled[j], 1e-6, "weight " + j);
            }
        }
    }

    /** Within 5e-5 of each value: the engine holds β1, β2 and the moments in float32. */
    private static void assertRelative(double[] expected, double[] actual, String what) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 5e-5 * Math.abs(expected[j]) + 1e-9, what + ", weight " + j);
        }
    }

    private static double[] firstStep(NDManager manager, double lr, double scale) {
        TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
        backward(session, manager);
        session.optimizer().step(lr, scale);
        double[] after = weights(session, manager);
        for (int j = 0; j < after.length; j++) {
            after[j] -= QuadraticBowl.START[j];
        }
        return after;
    }

    @Test
    void aRestoredOptimizerContinuesTheBiasCorrectionFromItsUpdateCount() {
        double lr = 0.1;
        try (NDManager manager = NDManager.newBaseManager()) {
            AdamReference reference = new AdamReference(QuadraticBowl.START);
            TrainingSession first = new TrainingSession(QuadraticBowl.create(manager), manager);
            for (int k = 0; k < 3; k++) {
                reference.adam(QuadraticBowl.gradient(reference.theta), lr, 1.0);
                backward(first, manager);
                first.optimizer().step(lr, 1.0);
            }
            NDList saved = first.optimizer().state(manager);

            // a new process: fresh weights set to the saved ones, a fresh optimizer restored
            TrainingSession second = new TrainingSession(QuadraticBowl.create(manager), manager);
            copyWeights(first, second);
            second.optimizer().restore(saved);
            assertEquals(3, second.optimizer().updates());
            for (int k = 3; k < 5; k++) {
                reference.adam(QuadraticBowl.gradient(reference.theta), lr, 1.0);
                backward(second, manager);
                second.optimizer().step(lr, 1.0);
                assertArrayEquals(reference.theta, weights(second, manager), TOLERANCE, "weights after step " + (k + 1));
            }
            assertEquals(5, second.optimizer().updates());
        }
    }

    /** Copies one session's weights into another's, in place. */
    private static void copyWeights(TrainingSession from, TrainingSession to) {
        var source = from.block().getParameters();
        var target = to.block().getParameters();
        for (int i = 0; i < source.size(); i++) {
            ParameterStates.overwrite(target.valueAt(i).getArray(), source.valueAt(i).getArray());
        }
    }
}
