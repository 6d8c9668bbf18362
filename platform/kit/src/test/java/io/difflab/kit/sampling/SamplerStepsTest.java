package io.difflab.kit.sampling;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.UserError;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sampler.steps}: the three forms with guided-diffusion's {@code space_timesteps} results
 * (the expected arrays are what its function returns for these arguments), each sampler's spacing of
 * a plain count, and the noise-level spacings' quantization.
 */
class SamplerStepsTest {

    private static final DiffusionSchedule LINEAR = LinearSchedule.of(1000);

    private static int[] steps(Sampler sampler, Object steps) {
        return SamplerSteps.timesteps(LINEAR, sampler, Config.of("sampler", sampler.options(), Map.of("steps", steps)));
    }

    @Test
    void theThreeFormsFollowGuidedDiffusion() {
        Sampler ancestral = new AncestralSampler();
        assertArrayEquals(new int[] {0, 42, 83, 125, 166, 208, 250, 291, 333, 375, 416, 458, 500, 541, 583, 624, 666,
                708, 749, 791, 832, 874, 916, 957, 999}, steps(ancestral, 25));
        assertArrayEquals(new int[] {0, 40, 80, 120, 160, 200, 240, 280, 320, 360, 400, 440, 480, 520, 560, 600, 640,
                680, 720, 760, 800, 840, 880, 920, 960}, steps(ancestral, "ddim25"));
        assertArrayEquals(new int[] {0, 11, 22, 33, 44, 55, 66, 77, 88, 99, 100, 107, 114, 121, 128, 135, 142, 149, 157,
                164, 171, 178, 185, 192, 199, 200, 205, 210, 216, 221, 226, 231, 236, 242, 247, 252, 257, 263, 268, 273,
                278, 283, 289, 294, 299}, TimestepSpacing.parse(300, "10,15,20"));
        assertArrayEquals(new int[] {0, 83, 167, 250, 333, 417, 500, 501, 751, 1000}, TimestepSpacing.parse(1001, "7,3"));
        assertEquals(1000, steps(ancestral, 1000).length);
        assertSame(LINEAR, SamplerSteps.schedule(LINEAR, ancestral, Config.of("sampler", ancestral.options(),
                Map.of("steps", 1000))), "all steps: the schedule itself");
    }

    /** DDIM and PLMS take the ddimN stride for N (25 of 1000 end at t = 960), evenly where no stride fits. */
    @Test
    void ddimAndPlmsSpaceACountByDdimsStride() {
        for (Sampler s : new Sampler[] {new DdimSampler(), new PlmsSampler()}) {
            assertArrayEquals(TimestepSpacing.ddim(1000, 25), steps(s, 25), s.name());
            assertArrayEquals(TimestepSpacing.evenly(1000, 600), steps(s, 600), s.name() + ": no stride gives 600");
            assertArrayEquals(TimestepSpacing.parse(1000, "10,15"), steps(s, "10,15"), "an explicit form wins");
        }
    }

    @Test
    void karrasAndLogSnrSpacingsAreDistinctIncreasingAndSpanTheSchedule() {
        for (DiffusionSchedule schedule : new DiffusionSchedule[] {LINEAR, CosineSchedule.of(1000)}) {
            for (int n : new int[] {1, 2, 5, 20, 250, 999, 1000}) {
                for (int[] kept : new int[][] {TimestepSpacing.karras(schedule, n, 7), TimestepSpacing.logSnr(schedule, n)}) {
                    assertEquals(n, kept.length);
                    for (int i = 1; i < n; i++) {
                        assertTrue(kept[i] > kept[i - 1], "strictly increasing at " + i + " of " + n);
                    }
                    assertEquals(n == 1 ? 999 : 0, kept[0]);
                    assertEquals(999, kept[n - 1]);
                }
            }
        }
    }

    /** Few enough steps that none collide: each is the timestep nearest to Karras et al. 2022's σ_i (eq. 5). */
    @Test
    void karrasStepsAreTheTimestepsNearestToTheirNoiseLevels() {
        int n = 10;
        int[] kept = TimestepSpacing.karras(LINEAR, n, 7);
        double max = TimestepSpacing.sigma(LINEAR, 999);
        double min = TimestepSpacing.sigma(LINEAR, 0);
        for (int i = 0; i < n; i++) {
            double f = (double) (n - 1 - i) / (n - 1);
            double target = Math.pow(Math.pow(max, 1 / 7.0) + f * (Math.pow(min, 1 / 7.0) - Math.pow(max, 1 / 7.0)), 7);
            double here = Math.abs(Math.log(TimestepSpacing.sigma(LINEAR, kept[i]) / target));
            for (int t : new int[] {kept[i] - 1, kept[i] + 1}) {
                if (t >= 0 && t < 1000) {
                    assertTrue(here <= Math.abs(Math.log(TimestepSpacing.sigma(LINEAR, t) / target)), "step " + i);
                }
            }
        }
        assertArrayEquals(kept, steps(new HeunSampler(), 10), "heun's default spacing");
        assertArrayEquals(TimestepSpacing.logSnr(LINEAR, 10), steps(new DpmSolverPlusPlusSampler(), 10));
    }

    @Test
    void badFormsAreProblemsNamingTheFix() {
        assertNull(SamplerSteps.problem(25, 1000));
        assertNull(SamplerSteps.problem("ddim50", 1000));
        assertEquals("cannot take 1001 steps of 1000 timesteps; use between 1 and 1000", SamplerSteps.problem(1001, 1000));
        assertTrue(SamplerSteps.problem("ddim600", 1000).startsWith("cannot take exactly 600 of 1000 timesteps"));
        assertTrue(SamplerSteps.problem("ddimx", 1000).startsWith("timestep spacing 'ddimx' is neither"));
        assertTrue(SamplerSteps.problem(2.5, 1000).startsWith("expected a step count N"));
        assertEquals(25, SamplerSteps.normalized(" 25"));
        assertEquals("ddim25", SamplerSteps.normalized("ddim25"));
        assertThrows(UserError.class, () -> steps(new DdimSampler(), 0));
    }
}
