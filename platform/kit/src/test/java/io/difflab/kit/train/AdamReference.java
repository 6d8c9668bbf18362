package io.difflab.kit.train;

/**
 * Adam, warm-up, global-norm clipping and the weight EMA written out by hand in double precision
 * on plain arrays, for the tests to compare the engine's updates with.
 */
final class AdamReference {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    final double[] theta;
    final double[] m;
    final double[] v;
    final double[] ema;
    long t;

    AdamReference(double[] start) {
        theta = start.clone();
        m = new double[start.length];
        v = new double[start.length];
        ema = start.clone();
    }

    /**
     * One Adam step on {@code gradScale · g} (Kingma &amp; Ba 2015, Alg. 1, with the efficient form of
     * sec. 2: α_t = α·√(1−β2^t)/(1−β1^t), θ ← θ − α_t·m_t/(√v_t + ε̂)).
     */
    void adam(double[] g, double lr, double gradScale) {
        t++;
        double alpha = lr * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        for (int j = 0; j < theta.length; j++) {
            double gj = gradScale * g[j];
            m[j] = BETA1 * m[j] + (1 - BETA1) * gj;
            v[j] = BETA2 * v[j] + (1 - BETA2) * gj * gj;
            theta[j] -= alpha * m[j] / (Math.sqrt(v[j]) + EPSILON);
        }
    }

    /** θ̄ ← d·θ̄ + (1−d)·θ. */
    void ema(double decay) {
        for (int j = 0; j < theta.length; j++) {
            ema[j] = decay * ema[j] + (1 - decay) * theta[j];
        }
    }

    /** √Σ g². */
    static double norm(double[] g) {
        double s = 0;
        for (double x : g) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** The factor that clips a gradient of norm {@code norm} to {@code maxNorm} (Pascanu et al. 2013); 0 = off. */
    static double clipFactor(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0;
    }

    /** Linear warm-up to {@code lr} over {@code warmup} steps, for 0-based {@code step}. */
    static double warmedUp(double lr, int warmup, long step) {
        return warmup <= 0 ? lr : lr * Math.min(1.0, (step + 1.0) / warmup);
    }
}
