package io.difflab.plugins.dalle;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingListener;
import io.difflab.kit.train.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dVAE trained with the platform's trainer on real shapes-captions scenes: killed at a checkpoint
 * and resumed, it anneals its temperature and KL weight and computes its losses exactly as an
 * uninterrupted training does, because the schedules are functions of the step.
 */
class DvaeResumeTest {

    private static final long SEED = 4;

    @TempDir
    Path dir;

    /** Per step: loss, temperature, KL weight. */
    private static List<List<Double>> train(ImageDataset data, Path checkpoints, int steps, boolean resume) {
        Model model = StandaloneAssembly.assemble(new DalleFamily(), data, TinyDalle.settings());
        TrainableNetwork dvae = model.networks().get(0);
        List<List<Double>> seen = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(long step, Map<String, Double> metrics) {
                seen.add(List.of(metrics.get("train.loss"), metrics.get("train.temperature"),
                        metrics.get("train.kl_weight")));
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            dvae.block().initialize(m, DataType.FLOAT32, dvae.inputShapes());
            TrainingSession session = new TrainingSession(dvae.block(), m);
            new Trainer(new TrainSettings(steps, 8, 1e-3, 2, 1.0, 0.9, 1, 3), List.of(recorder)).train(
                    new TrainingJob(session, dvae.objective(), data, List.of(), TrainedNetworks.NONE, SEED, m,
                            new CheckpointStore(checkpoints, 2), resume,
                            step -> new SeededNoiseSource(StepSeeds.mix(SEED, step))));
        }
        return seen;
    }

    @Test
    void aResumedDvaeAnnealsAndLearnsExactlyAsAnUninterruptedOne() {
        ImageDataset data = TinyDalle.shapes(dir.resolve("data"), Split.TRAIN, 64);
        List<List<Double>> whole = train(data, dir.resolve("whole"), 9, false);
        List<List<Double>> joined = new ArrayList<>(train(data, dir.resolve("split"), 6, false));
        joined.addAll(train(data, dir.resolve("split"), 9, true));
        assertEquals(9, joined.size(), "resumed after the step-6 checkpoint");
        assertEquals(whole, joined);
        // τ falls from 1 towards 1/16 over the 20 annealing steps, β rises to 1 over 10
        assertEquals(new Anneal(1, 1.0 / 16, 20).at(8), whole.get(8).get(1), 1e-6);
        assertEquals(new Anneal(0, 1, 10).at(8), whole.get(8).get(2), 1e-6);
        assertTrue(whole.get(8).get(0) < whole.get(0).get(0), "it learns: " + whole);
    }
}
