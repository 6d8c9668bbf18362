package io.difflab.kit.condition;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Captions to token ids and mask through a real word vocabulary; ∅ is the empty caption. */
class TokenEncoderTest {

    private static final List<String> CAPTIONS = List.of("three red circles", "a red circle and a blue square",
            "a green triangle left of a yellow star");

    private final NDManager manager = NDManager.newBaseManager();
    private final WordVocabulary vocabulary = WordVocabulary.build(CAPTIONS, 1, 0, 8);
    private final TokenEncoder encoder = TokenEncoder.captions(vocabulary);

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void captionsBecomeTheVocabularysRowsOfIdsAndMask() {
        NDList arrays = encoder.encode(List.of(CAPTIONS.get(1), CAPTIONS.get(0)), manager);
        assertEquals(2, arrays.size());
        assertEquals(new Shape(2, 8), arrays.get(0).getShape());
        int[] ids = arrays.get(0).toIntArray();
        int[] mask = arrays.get(1).toIntArray();
        assertArrayEquals(vocabulary.encode(CAPTIONS.get(1)), Arrays.copyOfRange(ids, 0, 8));
        assertArrayEquals(vocabulary.encode(CAPTIONS.get(0)), Arrays.copyOfRange(ids, 8, 16));
        // "three red circles": start, 3 words, end, then 3 padding positions
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 0, 0}, Arrays.copyOfRange(mask, 8, 16));
        // 8 ids: start, the first 6 of its 7 words, end
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, Arrays.copyOfRange(mask, 0, 8));
        assertEquals(vocabulary.endId(), ids[7]);
    }

    @Test
    void nullAndBlankCaptionsAreTheKindsNullValueTheEmptyCaption() {
        NDList arrays = encoder.encode(Arrays.asList(null, "", "   ", CAPTIONS.get(2)), manager);
        NDList nulls = ConditionKind.TOKENS.nullLike(arrays);
        for (int i = 0; i < 2; i++) {
            int[] got = arrays.get(i).get("0:3").toIntArray();
            assertArrayEquals(nulls.get(i).get("0:3").toIntArray(), got);
            assertTrue(Arrays.stream(got).allMatch(v -> v == 0), "all padding, nothing read");
        }
        assertEquals(vocabulary.startId(), arrays.get(0).getInt(3, 0), "a caption keeps its ids");
    }

    @Test
    void droppingRowsGivesWhatEncodingNullGives() {
        Condition c = Condition.of(Map.of(TokenEncoder.CAPTION,
                encoder.entry(List.of(CAPTIONS.get(0), CAPTIONS.get(1)), manager)));
        NDArray drop = manager.create(new boolean[] {false, true});
        Condition dropped = c.dropRows(TokenEncoder.CAPTION, drop);
        NDList expected = encoder.encode(Arrays.asList(CAPTIONS.get(0), null), manager);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(expected.get(i).toIntArray(), dropped.get(TokenEncoder.CAPTION).arrays().get(i)
                    .toIntArray());
        }
    }

    @Test
    void itTellsTheNetworkTheShapesAndTheVocabularySize() {
        ConditionInput input = encoder.input();
        assertEquals(TokenEncoder.CAPTION, input.name());
        assertEquals(ConditionKind.TOKENS, input.kind());
        assertEquals(List.of(new Shape(8), new Shape(8)), input.itemShapes());
        assertEquals(vocabulary.size(), input.cardinality());
        assertEquals(ConditionFields.CAPTION, encoder.field());
    }

    @Test
    void refusesValuesThatAreNotCaptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of("a red circle", 7), manager));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
