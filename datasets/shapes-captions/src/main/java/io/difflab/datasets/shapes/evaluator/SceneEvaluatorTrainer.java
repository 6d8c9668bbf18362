package io.difflab.datasets.shapes.evaluator;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.Progress;
import io.difflab.api.TrainedNetworks;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.kit.condition.LabelEncoder;
import io.difflab.kit.engine.EngineSelfCheck;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.DataOrder;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingListener;
import io.difflab.kit.train.TrainingSession;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a scene evaluator with the platform's trainer (Adam with warm-up, gradient clipping at 1,
 * a weight average), then keeps the averaged weights and re-estimates the batch-norm statistics
 * for them on {@value #STATISTICS_BATCHES} training batches, as stochastic weight averaging does
 * (Izmailov et al. 2018, §3.2): the running statistics gathered during training belong to the raw
 * weights.
 */
final class SceneEvaluatorTrainer {

    static final int STATISTICS_BATCHES = 50;

    private final SceneEvaluatorRecipe recipe;
    private final Progress.Factory progress;

    SceneEvaluatorTrainer(SceneEvaluatorRecipe recipe, Progress.Factory progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** A network trained on {@code train}, its arrays in {@code manager}; checkpoints go to {@code scratch}. */
    SequentialBlock train(NDManager manager, ShapesCaptionsDataset train, Path scratch) {
        EngineSelfCheck.verify(manager);
        Engine.getEngine(manager.getEngine().getEngineName()).setRandomSeed((int) recipe.seed());
        SequentialBlock block = SceneEvaluatorNetwork.create(train.shape().height());
        block.initialize(manager, DataType.FLOAT32, train.shape().batch(1));
        TrainingSession session = new TrainingSession(block, manager);
        TrainSettings settings = new TrainSettings(recipe.steps(), recipe.batchSize(), recipe.learningRate(),
                recipe.warmupSteps(), 1.0, recipe.emaDecay(), 50, recipe.steps());
        // each batch carries its items' indices as labels: the objective looks their scenes up
        IndexedScenes indexed = new IndexedScenes(train);
        TrainingJob job = new TrainingJob(session, new SceneDetectionObjective(train::scene), indexed,
                List.of(new LabelEncoder(indexed.size())), TrainedNetworks.NONE, recipe.seed(), manager,
                new CheckpointStore(scratch, 1), false, step -> null);
        try (Progress bar = progress.start("scene evaluator " + train.shape().height() + "px", recipe.steps(), "step")) {
            new Trainer(settings, List.of(new TrainingListener() {
                @Override
                public void onStep(long step, Map<String, Double> metrics) {
                    bar.step(1, String.format(Locale.ROOT, "loss %.4f", metrics.get("train.loss")));
                }
            })).train(job);
        }
        useAverage(block, session, manager);
        reestimateStatistics(block, train, manager);
        return block;
    }

    /** Overwrites each trainable weight with its average. */
    private static void useAverage(SequentialBlock block, TrainingSession session, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList averages = session.ema().state();
            averages.attach(scratch);
            Map<String, NDArray> byName = new HashMap<>();
            averages.forEach(a -> byName.put(a.getName(), a));
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().set(byName.get("ema." + p.getKey()).toFloatArray());
                }
            }
        }
    }

    /** Training-mode forwards without gradients: batch norm's running statistics follow the current weights. */
    private void reestimateStatistics(SequentialBlock block, ShapesCaptionsDataset train, NDManager manager) {
        DataOrder order = new DataOrder(train.size(), recipe.seed() + 1);
        ParameterStore store = new ParameterStore(manager, false);
        for (int b = 0; b < STATISTICS_BATCHES; b++) {
            try (NDManager sub = manager.newSubManager()) {
                block.forward(store, new NDList(train.images(sub, order.batch(b, recipe.batchSize()))), true);
            }
        }
    }
}
