package io.difflab.kit.schedule;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CosineScheduleTest {

    private final CosineSchedule cosine = new CosineSchedule();

    @Test
    void alphaBarFollowsTheClosedForm() {
        int timesteps = 1000;
        double s = 0.008;
        DiffusionSchedule schedule = cosine.build(timesteps, Config.of("schedule", cosine.options(), Map.of()));
        // Nichol & Dhariwal 2021, eq. 17: ᾱ = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2);
        // the 0-based step i ends at the paper's t = i + 1
        double f0 = Math.pow(Math.cos(s / (1 + s) * Math.PI / 2), 2);
        for (int i = 0; i < timesteps - 1; i++) {
            double ft = Math.pow(Math.cos(((i + 1.0) / timesteps + s) / (1 + s) * Math.PI / 2), 2);
            assertEquals(ft / f0, schedule.alphaCumprod(i), 1e-12, "i=" + i);
        }
    }

    @Test
    void betaIsClippedAt0999NearT() {
        DiffusionSchedule schedule = cosine.build(1000, Config.of("schedule", cosine.options(), Map.of()));
        assertEquals(0.999, schedule.beta(999), 0.0);
        for (int t = 0; t < 1000; t++) {
            assertTrue(schedule.beta(t) <= 0.999);
        }
    }

    @Test
    void alphaBarStrictlyDecreasesAndPosteriorVarianceStartsAtZero() {
        for (int timesteps : new int[] {1000, 50, 4}) {
            DiffusionSchedule schedule = cosine.build(timesteps, Config.of("schedule", cosine.options(), Map.of()));
            for (int t = 1; t < timesteps; t++) {
                assertTrue(schedule.alphaCumprod(t) < schedule.alphaCumprod(t - 1));
            }
            assertEquals(0.0, schedule.posteriorVariance(0));
        }
    }
}
