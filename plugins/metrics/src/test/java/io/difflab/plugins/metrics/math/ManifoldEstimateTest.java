package io.difflab.plugins.metrics.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.difflab.plugins.metrics.math.FrechetDistanceTest.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifoldEstimateTest {

    @Test
    void ballsReachTheKthNearestNeighbour() {
        double[][] line = {{0}, {1}, {3}, {7}};
        ManifoldEstimate k1 = ManifoldEstimate.of(line, 1);
        // radii 1, 1, 2, 4: [−1, 1] ∪ [0, 2] ∪ [1, 5] ∪ [3, 11]
        assertTrue(k1.contains(new double[] {-1}));
        assertFalse(k1.contains(new double[] {-1.01}));
        assertTrue(k1.contains(new double[] {11}));
        assertFalse(k1.contains(new double[] {11.01}));
        ManifoldEstimate k2 = ManifoldEstimate.of(line, 2);
        // radii 3, 2, 3, 6: the leftmost ball reaches −3
        assertTrue(k2.contains(new double[] {-3}));
        assertFalse(k2.contains(new double[] {-3.01}));
    }

    @Test
    void identicalSetsHaveFullPrecisionAndRecall() {
        double[][] x = gaussian(new Random(1), 300, 8, 0, 1);
        assertEquals(1.0, ManifoldEstimate.precision(x, x, 3));
        assertEquals(1.0, ManifoldEstimate.recall(x, x, 3));
    }

    @Test
    void samplesOfTheSameDistributionHaveHighPrecisionAndRecall() {
        Random random = new Random(2);
        double[][] real = gaussian(random, 500, 8, 0, 1);
        double[][] generated = gaussian(random, 500, 8, 0, 1);
        double precision = ManifoldEstimate.precision(real, generated, 3);
        double recall = ManifoldEstimate.recall(real, generated, 3);
        assertTrue(precision > 0.75 && recall > 0.75, "precision " + precision + ", recall " + recall);
    }

    @Test
    void disjointDistributionsHaveNoPrecisionOrRecall() {
        Random random = new Random(3);
        double[][] real = gaussian(random, 300, 8, 0, 1);
        double[][] generated = gaussian(random, 300, 8, 20, 1);
        assertEquals(0.0, ManifoldEstimate.precision(real, generated, 3));
        assertEquals(0.0, ManifoldEstimate.recall(real, generated, 3));
    }

    @Test
    void aNarrowModelOfAWideDistributionIsPreciseButMissesMostOfIt() {
        Random random = new Random(4);
        double[][] real = gaussian(random, 500, 8, 0, 1);
        double[][] generated = gaussian(random, 500, 8, 0, 0.2);
        double precision = ManifoldEstimate.precision(real, generated, 3);
        double recall = ManifoldEstimate.recall(real, generated, 3);
        assertTrue(precision > 0.95, "precision " + precision);
        assertTrue(recall < 0.2, "recall " + recall);
    }
}
