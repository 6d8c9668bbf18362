package io.difflab.plugins.metrics.evaluator;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;
import io.difflab.kit.engine.EngineSelfCheck;

import java.util.Locale;
import java.util.Random;

/** Trains an evaluator network on a labeled train split: cross-entropy, Adam with a cosine-annealed step size. */
final class EvaluatorTrainer {

    private final EvaluatorRecipe recipe;
    private final Progress.Factory progress;

    EvaluatorTrainer(EvaluatorRecipe recipe, Progress.Factory progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /**
     * Trains a fresh network in {@code model} (which it sets the block of) and returns it, trained.
     * Initialization and data order follow the recipe's seed. Checks first that the engine's
     * convolution gradients are right on this machine (see {@link EngineSelfCheck}).
     */
    EvaluatorNetwork train(Model model, ImageDataset train) {
        EngineSelfCheck.verify(model.getNDManager());
        EvaluatorNetwork network = EvaluatorNetwork.create(train.numClasses());
        model.setBlock(network.network());
        model.getNDManager().getEngine().setRandomSeed((int) recipe.seed());
        int n = train.size();
        int stepsPerEpoch = (n + recipe.batchSize() - 1) / recipe.batchSize();
        // Loshchilov & Hutter 2017 (SGDR), one cosine cycle over the whole run
        Tracker learningRate = Tracker.cosine().setBaseValue((float) recipe.learningRate())
                .optFinalValue(0f).setMaxUpdates(recipe.epochs() * stepsPerEpoch).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(learningRate).build())
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(recipe.seed());
        String label = "evaluator " + datasetName(train.id());
        try (Trainer trainer = model.newTrainer(config);
             Progress bar = progress.start(label, (long) recipe.epochs() * stepsPerEpoch, "step")) {
            trainer.initialize(train.shape().batch(1));
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                shuffle(order, random);
                for (int step = 0; step < stepsPerEpoch; step++) {
                    int from = step * recipe.batchSize();
                    int[] batch = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + recipe.batchSize()));
                    float loss = trainStep(trainer, train, batch);
                    bar.step(1, String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch + 1, recipe.epochs(), loss));
                }
            }
        }
        return network;
    }

    private static float trainStep(Trainer trainer, ImageDataset train, int[] batch) {
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = train.images(sub, batch);
            NDArray y = train.labels(sub, batch).toType(DataType.FLOAT32, false);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(x));
                NDArray value = trainer.getLoss().evaluate(new NDList(y), logits);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Top-1 accuracy of {@code evaluator} on the whole of {@code test}. */
    static double accuracy(Evaluator evaluator, ImageDataset test) {
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int[] predicted = evaluator.embed(test, all).predictedClasses();
        int correct = 0;
        for (int i = 0; i < all.length; i++) {
            if (predicted[i] == test.label(i)) {
                correct++;
            }
        }
        return (double) correct / all.length;
    }

    /** {@code fashion-mnist} of {@code fashion-mnist/train}. */
    static String datasetName(String id) {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
