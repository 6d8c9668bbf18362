package io.difflab.plugins.metrics.math;

/**
 * The Inception Score (Salimans et al. 2016, sec. 4): IS = exp(E_x KL(p(y|x) ‖ p(y))), with the
 * marginal p(y) = E_x p(y|x) taken over the same samples. It lies in [1, number of classes]:
 * 1 when every sample gets the same prediction, the number of classes when each is classified
 * with certainty and the classes are used evenly.
 */
public final class InceptionScore {

    private InceptionScore() { }

    /** IS of the rows of {@code probabilities} (each a distribution over the classes). */
    public static double of(double[][] probabilities) {
        return of(probabilities, 0, probabilities.length);
    }

    /**
     * IS over {@code splits} consecutive equal parts, as the paper reports it: the mean and the
     * standard deviation of the parts' scores.
     */
    public static double[] meanAndStd(double[][] probabilities, int splits) {
        int n = probabilities.length;
        if (splits < 1 || splits > n) {
            throw new IllegalArgumentException("cannot split " + n + " samples into " + splits + " parts");
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            scores[s] = of(probabilities, (int) ((long) s * n / splits), (int) ((long) (s + 1) * n / splits));
        }
        double mean = 0;
        for (double v : scores) {
            mean += v / splits;
        }
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean) / splits;
        }
        return new double[] {mean, Math.sqrt(var)};
    }

    private static double of(double[][] p, int from, int to) {
        int n = to - from;
        if (n < 1) {
            throw new IllegalArgumentException("no samples");
        }
        int classes = p[from].length;
        double[] marginal = new double[classes];
        for (int i = from; i < to; i++) {
            for (int y = 0; y < classes; y++) {
                marginal[y] += p[i][y] / n;
            }
        }
        double meanKl = 0;
        for (int i = from; i < to; i++) {
            double kl = 0;
            for (int y = 0; y < classes; y++) {
                double q = p[i][y];
                if (q > 0) { // 0 · log 0 = 0
                    kl += q * (Math.log(q) - Math.log(marginal[y]));
                }
            }
            meanKl += kl / n;
        }
        return Math.exp(meanKl);
    }
}
