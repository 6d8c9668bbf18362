package io.difflab.kit.nn;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * An {@link AttentionBlock}'s output for one image computed by hand in double precision from its
 * parameters: group norm, the 1x1 qkv projection in the legacy head order, softmax(qᵀk/√d) per
 * head over the context tokens (projected by encoder_kv, per head [key, value], masked ones left
 * out) and the image's own positions, then the output projection and the residual.
 */
final class AttentionByHand {

    private final AttentionBlock block;
    private final int channels;
    private final int heads;
    private final int groups;

    AttentionByHand(AttentionBlock block, int channels, int heads, int groups) {
        this.block = block;
        this.channels = channels;
        this.heads = heads;
        this.groups = groups;
    }

    float[] param(String suffix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError(suffix);
    }

    /**
     * @param x       C·T values, channel-major
     * @param context L token states of D values each, or null
     * @param mask    L values, 1 where a token is read
     */
    float[] output(float[] x, float[][] context, int[] mask) {
        int c = channels;
        int t = x.length / c;
        double[][] normed = groupNorm(x, t);
        double[][] qkv = project(param("qkv_weight"), param("qkv_bias"), normed, 3 * c);
        double[][] kv = null;
        if (context != null) {
            double[][] states = new double[context[0].length][context.length];
            for (int l = 0; l < context.length; l++) {
                for (int d = 0; d < context[l].length; d++) {
                    states[d][l] = context[l][d];
                }
            }
            kv = project(param("encoder_kv_weight"), param("encoder_kv_bias"), states, 2 * c);
        }
        int ch = c / heads;
        double[][] attended = new double[c][t];
        for (int h = 0; h < heads; h++) {
            int base = h * 3 * ch;
            int kvBase = h * 2 * ch;
            for (int q = 0; q < t; q++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] logits = new double[(kv == null ? 0 : context.length) + t];
                boolean[] read = new boolean[logits.length];
                for (int s = 0; s < logits.length; s++) {
                    boolean fromContext = kv != null && s < context.length;
                    read[s] = !fromContext || mask[s] != 0;
                    for (int k = 0; k < ch; k++) {
                        double key = fromContext ? kv[kvBase + k][s] : qkv[base + ch + k][s - contextLength(kv, context)];
                        logits[s] += qkv[base + k][q] * key / Math.sqrt(ch);
                    }
                    if (read[s]) {
                        max = Math.max(max, logits[s]);
                    }
                }
                double z = 0;
                for (int s = 0; s < logits.length; s++) {
                    logits[s] = read[s] ? Math.exp(logits[s] - max) : 0;
                    z += logits[s];
                }
                for (int k = 0; k < ch; k++) {
                    for (int s = 0; s < logits.length; s++) {
                        boolean fromContext = kv != null && s < context.length;
                        double value = fromContext ? kv[kvBase + ch + k][s]
                                : qkv[base + 2 * ch + k][s - contextLength(kv, context)];
                        attended[h * ch + k][q] += logits[s] / z * value;
                    }
                }
            }
        }
        float[] pw = param("proj_out_weight");
        float[] pb = param("proj_out_bias");
        float[] out = new float[c * t];
        for (int o = 0; o < c; o++) {
            for (int q = 0; q < t; q++) {
                double v = x[o * t + q] + pb[o];
                for (int k = 0; k < c; k++) {
                    v += pw[o * c + k] * attended[k][q];
                }
                out[o * t + q] = (float) v;
            }
        }
        return out;
    }

    private static int contextLength(double[][] kv, float[][] context) {
        return kv == null ? 0 : context.length;
    }

    /** Group norm over groups of C / groups channels, then the per-channel γ, β. */
    private double[][] groupNorm(float[] x, int t) {
        float[] gamma = param("norm_gamma");
        float[] beta = param("norm_beta");
        int per = channels / groups;
        double[][] n = new double[channels][t];
        for (int g = 0; g < groups; g++) {
            int from = g * per * t;
            int to = (g + 1) * per * t;
            double mean = 0;
            double sq = 0;
            for (int i = from; i < to; i++) {
                mean += x[i] / (double) (per * t);
            }
            for (int i = from; i < to; i++) {
                sq += (x[i] - mean) * (x[i] - mean) / (per * t);
            }
            for (int i = from; i < to; i++) {
                n[i / t][i % t] = (x[i] - mean) / Math.sqrt(sq + 1e-5) * gamma[i / t] + beta[i / t];
            }
        }
        return n;
    }

    /** out[j][s] = b[j] + Σ_i w[j, i]·in[i][s]: a 1x1 convolution, or a linear map of each token. */
    private static double[][] project(float[] w, float[] b, double[][] in, int rows) {
        int cols = in.length;
        int length = in[0].length;
        double[][] out = new double[rows][length];
        for (int j = 0; j < rows; j++) {
            for (int s = 0; s < length; s++) {
                out[j][s] = b[j];
                for (int i = 0; i < cols; i++) {
                    out[j][s] += w[j * cols + i] * in[i][s];
                }
            }
        }
        return out;
    }
}
