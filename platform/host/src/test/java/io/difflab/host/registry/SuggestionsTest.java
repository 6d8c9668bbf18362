package io.difflab.host.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SuggestionsTest {

    @Test
    void distanceCountsEditsAndAdjacentSwapsAsOne() {
        assertEquals(0, Suggestions.distance("steps", "steps"));
        assertEquals(1, Suggestions.distance("stpes", "steps"));
        assertEquals(1, Suggestions.distance("seeed", "seed"));
        assertEquals(1, Suggestions.distance("cosin", "cosine"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(1, Suggestions.distance("ab", "ba"));
    }

    @Test
    void suggestsOnlyWhatLooksLikeATypo() {
        List<String> keys = List.of("steps", "batch_size", "lr", "warmup_steps");
        assertEquals(Optional.of("steps"), Suggestions.closest("stpes", keys));
        assertEquals(Optional.of("batch_size"), Suggestions.closest("batchsize", keys));
        assertEquals(Optional.of("batch_size"), Suggestions.closest("Batch_Size", keys));
        assertEquals(Optional.empty(), Suggestions.closest("learning_rate", keys));
        assertEquals(Optional.empty(), Suggestions.closest("fd", List.of("is")));
        assertEquals("; did you mean 'linear'?", Suggestions.didYouMean("lnear", List.of("cosine", "linear")));
        assertEquals("", Suggestions.didYouMean("sigmoid", List.of("cosine", "linear")));
    }
}
