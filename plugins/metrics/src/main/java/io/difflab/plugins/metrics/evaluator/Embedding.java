package io.difflab.plugins.metrics.evaluator;

/**
 * What the evaluator sees in a set of images: its penultimate features and its class probabilities.
 *
 * @param features      (n, 128) post-ReLU activations of the penultimate layer
 * @param probabilities (n, classes) softmax of the logits, p(y|x)
 */
public record Embedding(double[][] features, double[][] probabilities) {

    /** The number of images. */
    public int size() {
        return features.length;
    }

    /** For each image, the class of highest probability. */
    public int[] predictedClasses() {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            double[] p = probabilities[i];
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
