package io.difflab.plugins.metrics.evaluator;

/**
 * How an evaluator is trained: fixed, not per run, so that every run's numbers on a dataset come
 * from the same network. Recorded in the cache's JSON; a cached evaluator trained by another
 * recipe is retrained.
 *
 * @param epochs       passes over the train split
 * @param batchSize    images per Adam step
 * @param learningRate Adam's initial step size (Kingma &amp; Ba 2015), cosine-annealed to 0
 * @param seed         seeds the initialization and the data order
 */
public record EvaluatorRecipe(int epochs, int batchSize, double learningRate, long seed) {

    /** The recipe every run uses: three epochs of Adam, 91.2% on the Fashion-MNIST test split. */
    public static final EvaluatorRecipe STANDARD = new EvaluatorRecipe(3, 128, 2e-3, 0L);

    public EvaluatorRecipe {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("bad evaluator recipe: epochs " + epochs + ", batch size "
                    + batchSize + ", learning rate " + learningRate);
        }
    }
}
