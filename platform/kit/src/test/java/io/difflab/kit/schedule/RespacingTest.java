package io.difflab.kit.schedule;

import io.difflab.api.DiffusionSchedule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Respacing (Nichol &amp; Dhariwal 2021, sec. 4) on the API's schedule value. */
class RespacingTest {

    @Test
    void respacedAlphaBarEqualsTheKeptOriginalsAndBetaIsRecomputed() {
        for (DiffusionSchedule full : new DiffusionSchedule[] {
                LinearSchedule.of(1000),
                CosineSchedule.of(1000)}) {
            int[] kept = TimestepSpacing.evenly(1000, 50);
            DiffusionSchedule respaced = full.respace(kept);
            assertEquals(50, respaced.timesteps());
            assertArrayEquals(kept, respaced.timestepMap());
            assertTrue(respaced.isRespaced());
            assertFalse(full.isRespaced());
            double previous = 1.0;
            for (int i = 0; i < kept.length; i++) {
                assertEquals(full.alphaCumprod(kept[i]), respaced.alphaCumprod(i), 1e-12);
                // β_i = 1 − ᾱ_{k_i}/ᾱ_{k_{i−1}}
                assertEquals(1.0 - full.alphaCumprod(kept[i]) / previous, respaced.beta(i), 1e-15);
                previous = full.alphaCumprod(kept[i]);
            }
            assertEquals(0.0, respaced.posteriorVariance(0));
        }
    }

    @Test
    void respacingTwiceMapsToTheOriginalTimesteps() {
        DiffusionSchedule full = LinearSchedule.of(1000);
        DiffusionSchedule once = full.respace(TimestepSpacing.evenly(1000, 100));
        DiffusionSchedule twice = once.respace(TimestepSpacing.evenly(100, 10));
        int[] onceMap = once.timestepMap();
        int[] keptOfOnce = TimestepSpacing.evenly(100, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(onceMap[keptOfOnce[i]], twice.timestepMap()[i]);
            assertEquals(full.alphaCumprod(twice.timestepMap()[i]), twice.alphaCumprod(i), 1e-12);
        }
    }

    @Test
    void keptTimestepsMustBeIncreasingAndInRange() {
        DiffusionSchedule full = LinearSchedule.of(100);
        assertThrows(IllegalArgumentException.class, () -> full.respace(new int[] {0, 50, 50}));
        assertThrows(IllegalArgumentException.class, () -> full.respace(new int[] {0, 100}));
    }
}
