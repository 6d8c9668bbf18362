package io.difflab.kit.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainedNetworks;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.LossSecondMomentSampler;
import io.difflab.kit.diffusion.SimpleLossObjective;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.train.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop on a tiny real network: kill-and-resume equals an uninterrupted run; NaN fails cleanly. */
class TrainerTest {

    private static final long SEED = 7;

    private static TrainSettings settings(int steps) {
        return new TrainSettings(steps, 4, 1e-2, 2, 1.0, 0.9, 1, 3);
    }

    private static List<Double> run(Path dir, int steps, boolean resume, long[] nanCounter, long nanAt) {
        return run(dir, steps, resume, nanCounter, nanAt, new ArrayList<>());
    }

    /** L_simple on a 4-step schedule with the loss-aware timestep sampler; returns the loss curve. */
    private static List<Double> runLossAware(Path dir, int steps, boolean resume, LossSecondMomentSampler[] used) {
        List<Double> losses = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(long step, Map<String, Double> metrics) {
                losses.add(metrics.get("train.loss"));
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionSchedule schedule = CosineSchedule.of(4);
            used[0] = new LossSecondMomentSampler(schedule.timesteps());
            SimpleLossObjective objective = new SimpleLossObjective(new GaussianDiffusion(schedule),
                    Parameterization.EPSILON, used[0], ConditionDropout.NONE);
            TrainingSession session = new TrainingSession(TinyTraining.estimator(manager, SEED), manager);
            TrainingJob job = new TrainingJob(session, objective, TinyTraining.dataset(), List.of(), TrainedNetworks.NONE,
                    SEED, manager, new CheckpointStore(dir, 2), resume,
                    step -> new SeededNoiseSource(StepSeeds.mix(SEED, step)));
            new Trainer(settings(steps), List.of(recorder)).train(job);
        }
        return losses;
    }

    private static List<Double> run(Path dir, int steps, boolean resume, long[] nanCounter, long nanAt,
                                    List<Map<String, Double>> reports) {
        return run(dir, settings(steps), resume, nanCounter, nanAt, reports, -1);
    }

    private static List<Double> run(Path dir, int steps, boolean resume, TrainingObjective objective,
                                    List<Map<String, Double>> reports) {
        return run(dir, settings(steps), resume, objective, reports, -1);
    }

    private static List<Double> run(Path dir, TrainSettings settings, boolean resume, long[] nanCounter, long nanAt,
                                    List<Map<String, Double>> reports, long killAfter) {
        return run(dir, settings, resume, nanCounter == null ? TinyTraining.denoising()
                : TinyTraining.nanAt(nanAt, nanCounter), reports, killAfter);
    }

    /** Trains; with {@code killAfter} > 0 the run stops as a killed process would, right after that step. */
    private static List<Double> run(Path dir, TrainSettings settings, boolean resume, TrainingObjective objective,
                                    List<Map<String, Double>> reports, long killAfter) {
        return run(dir, settings, resume, objective, reports, killAfter, m -> TinyTraining.network(m, SEED));
    }

    private static List<Double> run(Path dir, TrainSettings settings, boolean resume, TrainingObjective objective,
                                    List<Map<String, Double>> reports, long killAfter,
                                    Function<NDManager, Block> network) {
        int steps = settings.steps();
        List<Double> losses = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(long step, Map<String, Double> metrics) {
                losses.add(metrics.get("train.loss"));
            }

            @Override
            public void onReport(long step, Map<String, Double> metrics) {
                Map<String, Double> keyed = new java.util.LinkedHashMap<>(metrics);
                keyed.put("step", (double) step);
                reports.add(keyed);
            }
        };
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onStep(long step, Map<String, Double> metrics) {
                if (step == killAfter) {
                    throw new IllegalStateException("killed after step " + step);
                }
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingSession session = new TrainingSession(network.apply(manager), manager);
            TrainingJob job = new TrainingJob(session, objective, TinyTraining.dataset(), List.of(), TrainedNetworks.NONE,
                    SEED, manager, new CheckpointStore(dir, 2), resume,
                    step -> TinyTraining.noise(StepSeeds.mix(SEED, step)));
            new Trainer(settings, List.of(recorder, killer)).train(job);
        }
        return losses;
    }

    @Test
    void resumedRunContinuesExactlyLikeAnUninterruptedOne(@TempDir Path tmp) {
        List<Double> whole = run(tmp.resolve("whole"), 9, false, null, 0);
        // "killed" after step 6: the checkpoint at step 6 is the newest
        List<Double> first = run(tmp.resolve("split"), 6, false, null, 0);
        List<Double> rest = run(tmp.resolve("split"), 9, true, null, 0);
        assertEquals(6, first.size());
        assertEquals(3, rest.size(), "resume starts after the step-6 checkpoint");
        List<Double> joined = new ArrayList<>(first);
        joined.addAll(rest);
        assertEquals(whole, joined, "the loss curve of a resumed run matches the uninterrupted one exactly");
        assertTrue(whole.get(8) < whole.get(0), "the tiny network learns: " + whole);
    }

    /**
     * Each training pass runs as 2 shards of the batch on two workers (ShardedStep), dropout drawn
     * through ShardedStep.dropout: the parameters' gradients are accumulated by both in whichever
     * order they finish, and a resumed run still repeats the uninterrupted one bit for bit, keeping
     * the shard count of its checkpoint even when resumed where the default would be 1; the masks are
     * the unsharded run's, so its losses agree with that run's up to rounding.
     */
    @Test
    void aShardedRunResumesExactlyWithItsCheckpointsShardCount(@TempDir Path tmp) {
        Function<NDManager, Block> plain = m -> TinyTraining.shardableNetwork(m, SEED);
        System.setProperty("difflab.shards", "2");
        try {
            List<Double> whole = run(tmp.resolve("whole"), settings(9), false, TinyTraining.denoising(),
                    new ArrayList<>(), -1, plain);
            List<Double> first = run(tmp.resolve("split"), settings(6), false, TinyTraining.denoising(),
                    new ArrayList<>(), -1, plain);
            assertEquals("2", CheckpointStore.readState(new CheckpointStore(tmp.resolve("split"), 2).latest()
                    .orElseThrow()).getProperty(Trainer.SHARDS));
            System.setProperty("difflab.shards", "1");
            List<Double> rest = run(tmp.resolve("split"), settings(9), true, TinyTraining.denoising(),
                    new ArrayList<>(), -1, plain);
            List<Double> joined = new ArrayList<>(first);
            joined.addAll(rest);
            assertEquals(whole, joined, "the loss curve of a resumed sharded run matches the uninterrupted one exactly");
            List<Double> unsharded = run(tmp.resolve("one"), settings(9), false, TinyTraining.denoising(),
                    new ArrayList<>(), -1, plain);
            for (int i = 0; i < whole.size(); i++) {
                assertEquals(unsharded.get(i), whole.get(i), 1e-5 * Math.abs(unsharded.get(i)),
                        "step " + (i + 1) + ": 2 shards against none, up to rounding");
            }
        } finally {
            System.clearProperty("difflab.shards");
        }
    }

    /**
     * With {@code train.schedule_sampler: loss-second-moment} the timesteps depend on every earlier
     * loss: the sampler's history goes into the checkpoint, so the resumed run still matches.
     */
    @Test
    void resumeIsExactWithTheLossAwareScheduleSampler(@TempDir Path tmp) {
        LossSecondMomentSampler[] used = new LossSecondMomentSampler[1];
        List<Double> whole = runLossAware(tmp.resolve("whole"), 24, false, used);
        assertTrue(used[0].warmedUp(), "24 steps of 4 fill every history of the 4 timesteps");
        double[] p = used[0].probabilities();
        List<Double> first = runLossAware(tmp.resolve("split"), 18, false, used);
        assertTrue(CheckpointStore.readState(new CheckpointStore(tmp.resolve("split"), 2).latest().orElseThrow())
                .getProperty(Trainer.OBJECTIVE + "history") != null, "the history is in the checkpoint state");
        List<Double> rest = runLossAware(tmp.resolve("split"), 24, true, used);
        List<Double> joined = new ArrayList<>(first);
        joined.addAll(rest);
        assertEquals(whole, joined, "the loss curve of a resumed run matches the uninterrupted one exactly");
        assertArrayEquals(p, used[0].probabilities(), 0.0, "and so does the learned timestep distribution");
    }

    @Test
    void theFirstReportAfterAResumeAveragesTheSameStepsAsAnUninterruptedRun(@TempDir Path tmp) {
        // reports every 4 steps, checkpoints every 3: the step-6 checkpoint falls inside the report of steps 5-8
        TrainSettings nine = new TrainSettings(9, 4, 1e-2, 2, 1.0, 0.9, 4, 3);
        List<Map<String, Double>> whole = new ArrayList<>();
        run(tmp.resolve("whole"), nine, false, null, 0, whole, -1);
        List<Map<String, Double>> split = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> run(tmp.resolve("split"), nine, false, null, 0, split, 7));
        assertEquals(6, new CheckpointStore(tmp.resolve("split"), 2).latest().orElseThrow().step());
        run(tmp.resolve("split"), nine, true, null, 0, split, -1);
        assertEquals(List.of(4.0, 8.0, 9.0), whole.stream().map(r -> r.get("step")).toList());
        assertEquals(List.of(4.0, 8.0, 9.0), split.stream().map(r -> r.get("step")).toList());
        for (int i = 0; i < whole.size(); i++) {
            for (String key : List.of("train.loss", "train.grad_norm", "train.lr", Trainer.IMAGES)) {
                assertEquals(whole.get(i).get(key), split.get(i).get(key), key + " at step " + whole.get(i).get("step"));
            }
        }
    }

    @Test
    void objectivesLearnTheStepOfEachBatchAlsoAfterAResume(@TempDir Path tmp) {
        List<Long> whole = new ArrayList<>();
        run(tmp.resolve("whole"), 9, false, TinyTraining.recordingSteps(whole), new ArrayList<>());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), whole, "0-based optimizer steps");
        List<Long> split = new ArrayList<>();
        run(tmp.resolve("split"), 6, false, TinyTraining.recordingSteps(split), new ArrayList<>());
        run(tmp.resolve("split"), 9, true, TinyTraining.recordingSteps(split), new ArrayList<>());
        assertEquals(whole, split, "a resumed run continues at the checkpoint's step, so annealed settings match");
    }

    @Test
    void nonFiniteLossFailsNamingTheStepAndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) {
        long[] counter = {0};
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> run(tmp, 9, false, counter, 5));
        assertEquals(5, e.step());
        assertTrue(e.getMessage().contains("step 5"), e.getMessage());
        CheckpointStore store = new CheckpointStore(tmp, 2);
        assertEquals(3, store.latest().orElseThrow().step(), "the step-3 checkpoint survives");
        assertTrue(Files.exists(store.latest().orElseThrow().model()));
    }

    @Test
    void reportsCarryImagesSeenAndTrainingSecondsSummedOverResumedSegments(@TempDir Path tmp) {
        List<Map<String, Double>> first = new ArrayList<>();
        run(tmp, 6, false, null, 0, first);
        assertEquals(6, first.size(), "log_every 1");
        for (int i = 0; i < first.size(); i++) {
            assertEquals((i + 1) * 4.0, first.get(i).get(Trainer.IMAGES), "steps x batch size 4 at step " + (i + 1));
            assertTrue(first.get(i).get(Trainer.SECONDS) > 0);
            assertTrue(i == 0 || first.get(i).get(Trainer.SECONDS) >= first.get(i - 1).get(Trainer.SECONDS));
        }
        double atCheckpoint = Double.parseDouble(CheckpointStore.readState(
                new CheckpointStore(tmp, 2).latest().orElseThrow()).getProperty(Trainer.SECONDS));
        assertTrue(atCheckpoint >= first.get(5).get(Trainer.SECONDS), "the step-6 checkpoint records the seconds so far");

        List<Map<String, Double>> rest = new ArrayList<>();
        run(tmp, 9, true, null, 0, rest);
        assertEquals(3, rest.size());
        assertEquals(36.0, rest.get(2).get(Trainer.IMAGES), "9 steps of 4 images, counted across the resume");
        assertTrue(rest.get(0).get(Trainer.SECONDS) > atCheckpoint, "the resumed segment adds to the earlier seconds");
    }
}
