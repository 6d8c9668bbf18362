package io.difflab.plugins.metrics.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InceptionScoreTest {

    @Test
    void constantPredictionsScoreOne() {
        double[][] p = new double[50][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {0.1, 0.6, 0.3};
        }
        assertEquals(1.0, InceptionScore.of(p), 1e-12);
    }

    @Test
    void confidentEvenlySpreadPredictionsScoreTheNumberOfClasses() {
        double[][] p = new double[100][10];
        for (int i = 0; i < p.length; i++) {
            p[i][i % 10] = 1.0;
        }
        assertEquals(10.0, InceptionScore.of(p), 1e-9);
    }

    @Test
    void confidentPredictionsOnTwoOfTenClassesScoreTwo() {
        double[][] p = new double[40][10];
        for (int i = 0; i < p.length; i++) {
            p[i][i % 2] = 1.0;
        }
        assertEquals(2.0, InceptionScore.of(p), 1e-9);
    }

    /** Softmax of logits that are {@code margin} on class {@code y} and 0 on the other {@code classes − 1}. */
    private static double[] softmaxPeakedAt(int y, int classes, double margin) {
        double[] p = new double[classes];
        double z = Math.exp(margin) + classes - 1;
        for (int c = 0; c < classes; c++) {
            p[c] = (c == y ? Math.exp(margin) : 1.0) / z;
        }
        return p;
    }

    /** Entropy in nats. */
    private static double entropy(double... p) {
        double h = 0;
        for (double q : p) {
            h -= q > 0 ? q * Math.log(q) : 0;
        }
        return h;
    }

    @Test
    void evenlyUsedClassesWithSoftmaxMarginScoreTheClassCountTimesExpMinusTheEntropy() {
        // Every p(y|x) has the entropy H of softmax(a on its class, 0 elsewhere) and the marginal is
        // uniform, so E KL(p(y|x) || p(y)) = log K - H and IS = K exp(-H), with
        // H = -(s log s + (K-1) r log r), s = e^a / (e^a + K - 1), r = 1 / (e^a + K - 1).
        int classes = 10;
        for (double margin : new double[] {0.0, 0.5, 2.0, 5.0}) {
            double[][] p = new double[200][];
            for (int i = 0; i < p.length; i++) {
                p[i] = softmaxPeakedAt(i % classes, classes, margin);
            }
            double z = Math.exp(margin) + classes - 1;
            double s = Math.exp(margin) / z;
            double r = 1 / z;
            double h = -(s * Math.log(s) + (classes - 1) * r * Math.log(r));
            assertEquals(classes * Math.exp(-h), InceptionScore.of(p), 1e-9, "margin " + margin);
        }
    }

    @Test
    void unevenlyUsedClassesScoreExpOfTheMarginalEntropyMinusTheConditionalOne() {
        // IS = exp(I(y; x)) = exp(H(p(y)) - E H(p(y|x))). Two classes used 3:1, each sample's
        // softmax puts s on its class: p(y) = (3s + r, 3r + s)/4 with r = 1 - s.
        double margin = 1.5;
        double[][] p = new double[400][];
        for (int i = 0; i < p.length; i++) {
            p[i] = softmaxPeakedAt(i % 4 == 3 ? 1 : 0, 2, margin);
        }
        double s = Math.exp(margin) / (Math.exp(margin) + 1);
        double r = 1 - s;
        double expected = Math.exp(entropy((3 * s + r) / 4, (3 * r + s) / 4) - entropy(s, r));
        assertEquals(expected, InceptionScore.of(p), 1e-12);
        assertEquals(1.1815, expected, 5e-5, "the closed form itself, to four digits");
    }

    @Test
    void splitsAverageThePartsScores() {
        double[][] p = new double[20][4];
        for (int i = 0; i < 10; i++) {
            p[i][i % 4] = 1.0;               // first half: 4 classes, IS 4 (10 samples over 4 classes: not even)
        }
        for (int i = 10; i < 20; i++) {
            p[i][0] = 1.0;                   // second half: one class, IS 1
        }
        double first = InceptionScore.of(java.util.Arrays.copyOfRange(p, 0, 10));
        double[] meanStd = InceptionScore.meanAndStd(p, 2);
        assertArrayEquals(new double[] {(first + 1) / 2, Math.abs(first - 1) / 2}, meanStd, 1e-12);
    }
}
