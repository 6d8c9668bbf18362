package io.difflab.datasets.imagefolder;

import io.difflab.api.Split;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The split partitions the names, has the requested size and depends on the names alone. */
class HashSplitTest {

    private static final List<String> NAMES = IntStream.range(0, 200).mapToObj(i -> "img" + i + ".png").toList();

    @Test
    void trainAndTestPartitionTheNames() {
        List<String> test = HashSplit.select(NAMES, 0.1, Split.TEST);
        List<String> train = HashSplit.select(NAMES, 0.1, Split.TRAIN);
        assertEquals(20, test.size());
        assertEquals(180, train.size());
        Set<String> union = new HashSet<>(test);
        union.addAll(train);
        assertEquals(new HashSet<>(NAMES), union);
        assertTrue(Collections.disjoint(test, train));
        assertEquals(test.stream().sorted().toList(), test);
    }

    @Test
    void theInputOrderDoesNotMatter() {
        List<String> shuffled = new ArrayList<>(NAMES);
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(HashSplit.select(NAMES, 0.25, Split.TEST), HashSplit.select(shuffled, 0.25, Split.TEST));
    }

    @Test
    void aLargerFractionKeepsTheSmallerOnesTestFiles() {
        // the order by hash is fixed per name: a larger fraction keeps every test file of a smaller one
        List<String> small = HashSplit.select(NAMES, 0.1, Split.TEST);
        List<String> large = HashSplit.select(NAMES, 0.3, Split.TEST);
        assertTrue(large.containsAll(small));
    }

    @Test
    void extremeFractions() {
        assertEquals(List.of(), HashSplit.select(NAMES, 0.0, Split.TEST));
        assertEquals(NAMES.stream().sorted().toList(), HashSplit.select(NAMES, 0.0, Split.TRAIN));
        assertEquals(200, HashSplit.select(NAMES, 1.0, Split.TEST).size());
    }
}
