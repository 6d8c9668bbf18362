package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's optimizer path against the same steps by hand ({@link AdamReference}) on the
 * quadratic bowl: linear warm-up of the learning rate, global-norm clipping over every parameter
 * (the first three steps clip, the later ones do not), Adam and the weight EMA; and a run resumed
 * from its checkpoint holds the same weights, average and moments as an uninterrupted one.
 */
class TrainerReferenceTest {

    private static final double LR = 0.1;
    private static final int WARMUP = 3;
    private static final double CLIP = 18.0;
    private static final double DECAY = 0.8;
    private static final int STEPS = 8;

    private static TrainSettings settings(int steps) {
        return new TrainSettings(steps, 2, LR, WARMUP, CLIP, DECAY, 1, 4);
    }

    /** What a trained session holds, read back as plain arrays. */
    private record State(double[] weights, double[] average, Map<String, float[]> moments, List<Map<String, Double>> steps) { }

    private static State train(Path dir, int steps, boolean resume) {
        List<Map<String, Double>> seen = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(long step, Map<String, Double> metrics) {
                seen.add(Map.copyOf(metrics));
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            TrainingJob job = QuadraticBowl.job(session, TinyTraining.dataset(), 11, manager, new CheckpointStore(dir, 2),
                    resume);
            new Trainer(settings(steps), List.of(recorder)).train(job);
            try (NDManager scratch = manager.newSubManager()) {
                NDList input = new NDList(scratch.zeros(new Shape(1)));
                double[] weights = QuadraticBowl.weights(session.block().forward(session.trainingStore(), input, false));
                double[] average = QuadraticBowl.weights(session.block().forward(session.ema().parameterStore(scratch),
                        input, false));
                Map<String, float[]> moments = new java.util.TreeMap<>();
                for (NDArray a : session.optimizer().state(scratch)) {
                    moments.put(a.getName(), a.getName().equals("updates") ? new float[] {a.getLong()} : a.toFloatArray());
                }
                return new State(weights, average, moments, seen);
            }
        }
    }

    @Test
    void warmUpClippingAdamAndTheAverageFollowTheStepsByHand(@TempDir Path dir) {
        State trained = train(dir, STEPS, false);
        AdamReference reference = new AdamReference(QuadraticBowl.START);
        int clipped = 0;
        for (int step = 0; step < STEPS; step++) {
            double[] g = QuadraticBowl.gradient(reference.theta);
            double norm = AdamReference.norm(g);
            double scale = AdamReference.clipFactor(norm, CLIP);
            clipped += scale < 1 ? 1 : 0;
            double lr = AdamReference.warmedUp(LR, WARMUP, step);
            Map<String, Double> logged = trained.steps().get(step);
            assertEquals(norm, logged.get("train.grad_norm"), 1e-4 * norm, "the global norm before clipping, step " + (step + 1));
            assertEquals(lr, logged.get("train.lr"), 1e-12, "warm-up, step " + (step + 1));
            assertEquals(step < WARMUP ? LR * (step + 1) / WARMUP : LR, lr, 1e-15);
            reference.adam(g, lr, scale);
            reference.ema(DECAY);
        }
        assertEquals(3, clipped, "the first three steps clip, the others do not");
        assertArrayEquals(reference.theta, trained.weights(), 1e-5, "weights after " + STEPS + " steps");
        assertArrayEquals(reference.ema, trained.average(), 1e-5, "the EMA of the weights after " + STEPS + " steps");
        assertEquals(STEPS, trained.moments().get("updates")[0]);
    }

    @Test
    void withoutClippingOrWarmUpTheStepsAreAdamsAlone(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            TrainingJob job = QuadraticBowl.job(session, TinyTraining.dataset(), 11, manager, new CheckpointStore(dir, 1),
                    false);
            new Trainer(new TrainSettings(4, 2, LR, 0, 0.0, DECAY, 1, 4), List.of()).train(job);
            AdamReference reference = new AdamReference(QuadraticBowl.START);
            for (int step = 0; step < 4; step++) {
                reference.adam(QuadraticBowl.gradient(reference.theta), LR, 1.0);
            }
            try (NDManager scratch = manager.newSubManager()) {
                assertArrayEquals(reference.theta, QuadraticBowl.weights(session.block().forward(session.trainingStore(),
                        new NDList(scratch.zeros(new Shape(1))), false)), 1e-5, "grad_clip 0 is off, warmup_steps 0 is none");
            }
        }
    }

    @Test
    void theGlobalNormCoversEveryParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(QuadraticBowl.create(manager), manager);
            try (NDManager step = manager.newSubManager();
                 var collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                collector.backward(QuadraticBowl.loss(session.block().forward(session.trainingStore(),
                        new NDList(step.zeros(new Shape(1))), true)));
            }
            double[] g = QuadraticBowl.gradient(QuadraticBowl.START);
            assertEquals(Math.sqrt(429.0), AdamReference.norm(g), 1e-12, "(−2, −12, 3, −4, −16) by hand");
            assertEquals(AdamReference.norm(g), session.gradientNorm(), 1e-5, "√Σ‖g‖² over u and v together");
        }
    }

    @Test
    void aResumedRunHoldsTheSameWeightsAverageAndMomentsAsAnUninterruptedOne(@TempDir Path tmp) {
        State whole = train(tmp.resolve("whole"), STEPS, false);
        train(tmp.resolve("split"), 4, false);
        State resumed = train(tmp.resolve("split"), STEPS, true);
        assertEquals(STEPS - 4, resumed.steps().size(), "the resumed run starts after the step-4 checkpoint");
        assertArrayEquals(whole.weights(), resumed.weights(), 0);
        assertArrayEquals(whole.average(), resumed.average(), 0, "the EMA restored, not restarted at the weights");
        assertEquals(whole.moments().keySet(), resumed.moments().keySet());
        whole.moments().forEach((name, values) -> assertArrayEquals(values, resumed.moments().get(name), 0, name));
        assertTrue(whole.moments().containsKey("m.u") && whole.moments().containsKey("v.v"), whole.moments().keySet().toString());
    }
}
