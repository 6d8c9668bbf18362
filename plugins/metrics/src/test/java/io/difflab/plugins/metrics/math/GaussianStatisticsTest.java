package io.difflab.plugins.metrics.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GaussianStatisticsTest {

    @Test
    void meanAndUnbiasedCovarianceOfASmallSet() {
        double[][] x = {{1, 2}, {3, 6}, {5, 4}};
        GaussianStatistics s = GaussianStatistics.of(x);
        assertEquals(3, s.mean().getEntry(0), 1e-12);
        assertEquals(4, s.mean().getEntry(1), 1e-12);
        // deviations (−2,−2), (0,2), (2,0): Σ = [[8, 4], [4, 8]] / (n − 1)
        assertEquals(4, s.covariance().getEntry(0, 0), 1e-12);
        assertEquals(2, s.covariance().getEntry(0, 1), 1e-12);
        assertEquals(2, s.covariance().getEntry(1, 0), 1e-12);
        assertEquals(4, s.covariance().getEntry(1, 1), 1e-12);
        assertEquals(3, s.count());
    }
}
