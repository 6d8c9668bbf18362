package io.difflab.kit.schedule;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestepSpacingTest {

    @Test
    void evenlyKeepsFirstAndLastWithNearlyEqualGaps() {
        for (int count : new int[] {2, 10, 25, 50, 250, 1000}) {
            int[] kept = TimestepSpacing.evenly(1000, count);
            assertEquals(count, kept.length);
            assertEquals(0, kept[0]);
            assertEquals(999, kept[count - 1]);
            double stride = 999.0 / (count - 1);
            for (int i = 1; i < count; i++) {
                int gap = kept[i] - kept[i - 1];
                assertTrue(gap == Math.floor(stride) || gap == Math.ceil(stride), "count " + count + " gap " + gap);
            }
        }
        assertArrayEquals(new int[] {0, 111, 222, 333, 444, 555, 666, 777, 888, 999}, TimestepSpacing.evenly(1000, 10));
    }

    @Test
    void roundsHalfToEvenAsPythonDoes() {
        // stride 2.5: round(2.5) = 2 in Python, not 3
        assertArrayEquals(new int[] {0, 2, 5}, TimestepSpacing.evenly(6, 3));
        assertArrayEquals(new int[] {0}, TimestepSpacing.evenly(6, 1));
    }

    @Test
    void sectionsTakeTheirCountsFromEqualParts() {
        // 0..49 gets 3 steps (stride 24.5 -> 0, 24, 49), 50..99 gets 2 (50, 99)
        assertArrayEquals(new int[] {0, 24, 49, 50, 99}, TimestepSpacing.sections(100, 3, 2));
        assertArrayEquals(TimestepSpacing.sections(100, 3, 2), TimestepSpacing.parse(100, "3, 2"));
    }

    @Test
    void ddimFormUsesAnIntegerStrideFromZero() {
        int[] kept = TimestepSpacing.ddim(1000, 50);
        assertEquals(50, kept.length);
        for (int i = 0; i < 50; i++) {
            assertEquals(20 * i, kept[i]);
        }
        assertArrayEquals(new int[] {0, 3, 6, 9}, TimestepSpacing.ddim(10, 4));
        assertArrayEquals(kept, TimestepSpacing.parse(1000, "ddim50"));
    }

    @Test
    void impossibleSpacingsAreUserErrors() {
        assertThrows(UserError.class, () -> TimestepSpacing.ddim(10, 6));
        assertThrows(UserError.class, () -> TimestepSpacing.evenly(10, 11));
        assertThrows(UserError.class, () -> TimestepSpacing.evenly(10, 0));
        assertThrows(UserError.class, () -> TimestepSpacing.parse(10, "fast"));
    }
}
