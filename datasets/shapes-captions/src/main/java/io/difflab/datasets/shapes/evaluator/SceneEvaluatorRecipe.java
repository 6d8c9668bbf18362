package io.difflab.datasets.shapes.evaluator;

/**
 * How the scene evaluator is trained, fixed so that every run's faithfulness numbers come from the
 * same network; recorded in the cache, where an evaluator trained by another recipe is retrained.
 *
 * @param steps        Adam steps (Kingma &amp; Ba 2015) of the platform's trainer
 * @param batchSize    images per step
 * @param learningRate step size after the linear warm-up
 * @param warmupSteps  steps of linear warm-up
 * @param emaDecay     decay of the weight average the evaluator keeps (Polyak averaging)
 * @param seed         seeds the initialization and the data order
 */
public record SceneEvaluatorRecipe(int steps, int batchSize, double learningRate, int warmupSteps, double emaDecay,
                                   long seed) {

    /** The recipe every run uses. */
    public static final SceneEvaluatorRecipe STANDARD = new SceneEvaluatorRecipe(1500, 64, 2e-3, 100, 0.995, 0);

    public SceneEvaluatorRecipe {
        if (steps < 1 || batchSize < 1 || !(learningRate > 0) || warmupSteps < 0 || !(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("bad scene evaluator recipe: " + steps + " steps, batch " + batchSize
                    + ", lr " + learningRate + ", warm-up " + warmupSteps + ", EMA decay " + emaDecay);
        }
    }
}
