package io.difflab.plugins.metrics.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void anyPredictionsScoreBetweenOneAndTheNumberOfClasses() {
        Random random = new Random(7);
        double[][] p = new double[200][5];
        for (double[] row : p) {
            double sum = 0;
            for (int y = 0; y < row.length; y++) {
                row[y] = Math.exp(3 * random.nextGaussian());
                sum += row[y];
            }
            for (int y = 0; y < row.length; y++) {
                row[y] /= sum;
            }
        }
        double is = InceptionScore.of(p);
        assertTrue(is > 1 && is < 5, "IS " + is);
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
