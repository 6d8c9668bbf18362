package io.difflab.plugins.metrics.evaluator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluatorsTest {

    @Test
    void referenceSubsetsAreFixedDistinctAndInRange() {
        int[] a = Evaluators.subset(1000, 100);
        assertArrayEquals(a, Evaluators.subset(1000, 100), "the same subset for every run");
        assertEquals(100, Arrays.stream(a).distinct().filter(i -> i >= 0 && i < 1000).count());
        int[] prefix = Evaluators.subset(1000, 50);
        assertArrayEquals(Arrays.copyOf(a, 50), prefix, "a smaller subset is a prefix of a larger one");
    }

    @Test
    void aSubsetAsLargeAsTheSetIsTheWholeSetInOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Evaluators.subset(4, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Evaluators.subset(4, 9));
    }
}
