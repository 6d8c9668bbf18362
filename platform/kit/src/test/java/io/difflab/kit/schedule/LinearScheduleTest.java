package io.difflab.kit.schedule;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearScheduleTest {

    private final LinearSchedule linear = new LinearSchedule();

    @Test
    void betaEndpointsAreThoseOfHoEtAl() {
        DiffusionSchedule s = linear.build(1000, Config.of("schedule", linear.options(), Map.of()));
        assertEquals(1000, s.timesteps());
        assertEquals(1e-4, s.beta(0), 1e-18);
        assertEquals(0.02, s.beta(999), 1e-18);
        // evenly spaced: β_t − β_{t−1} = (0.02 − 1e-4)/999
        assertEquals((0.02 - 1e-4) / 999, s.beta(500) - s.beta(499), 1e-15);
    }

    @Test
    void otherTimestepCountsScaleTheEndpointsBy1000OverT() {
        DiffusionSchedule s = linear.build(250, Config.of("schedule", linear.options(), Map.of()));
        assertEquals(4 * 1e-4, s.beta(0), 1e-15);
        assertEquals(4 * 0.02, s.beta(249), 1e-15);
    }

    @Test
    void optionsSetTheEndpoints() {
        Config config = new Config("schedule", Map.of("beta_start", 1e-3, "beta_end", 0.01));
        DiffusionSchedule s = linear.build(1000, config);
        assertEquals(1e-3, s.beta(0), 1e-18);
        assertEquals(0.01, s.beta(999), 1e-18);
    }

    @Test
    void alphaBarStrictlyDecreasesAndPosteriorVarianceStartsAtZero() {
        for (int timesteps : new int[] {1000, 100, 30}) {
            DiffusionSchedule s = linear.build(timesteps, Config.of("schedule", linear.options(), Map.of()));
            assertTrue(s.alphaCumprod(0) < 1.0);
            for (int t = 1; t < timesteps; t++) {
                assertTrue(s.alphaCumprod(t) < s.alphaCumprod(t - 1), "T=" + timesteps + " t=" + t);
            }
            assertEquals(0.0, s.posteriorVariance(0));
            // the clipped log takes β̃_1 at t = 0
            assertEquals(Math.log(s.posteriorVariance(1)), s.posteriorLogVarianceClipped(0), 1e-15);
        }
    }

    @Test
    void tooFewTimestepsForTheScaledEndpointIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> linear.build(20, Config.of("schedule", linear.options(), Map.of())));
        assertTrue(e.getMessage().startsWith("schedule.beta_end: with timesteps 20 the scaled beta_end is 1.0"),
                e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void aBetaStartAboveBetaEndIsAUserErrorNamingTheKey() {
        Config reversed = Config.of("schedule", linear.options(), Map.of("beta_start", 0.02, "beta_end", 1e-4));
        UserError e = assertThrows(UserError.class, () -> linear.build(1000, reversed));
        assertEquals("schedule.beta_start: must be at most schedule.beta_end (1.0E-4), got 0.02: the noise grows "
                + "from beta_start to beta_end", e.getMessage());
        assertEquals(2, e.exitCode());
    }
}
