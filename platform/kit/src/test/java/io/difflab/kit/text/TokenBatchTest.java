package io.difflab.kit.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batch encoding straight into engine arrays: ids and mask int32 (N, L), row-major as the int arrays. */
class TokenBatchTest {

    @Test
    void idsAndMaskBecomeInt32ArraysOfShapeNByL() {
        Vocabulary v = WordVocabulary.build(WordVocabularyTest.CAPTIONS, 1, 0, 6);
        List<String> captions = List.of("three red circles", "a blue square left of a yellow star", "");
        try (NDManager m = NDManager.newBaseManager()) {
            NDList arrays = v.encode(m, captions);
            assertEquals(2, arrays.size());
            for (int k = 0; k < 2; k++) {
                assertEquals(DataType.INT32, arrays.get(k).getDataType());
                assertEquals(new Shape(3, 6), arrays.get(k).getShape());
            }
            assertArrayEquals(v.encode(captions).ids(), arrays.get(0).toIntArray());
            assertArrayEquals(new int[] {
                    2, 17, 6, 10, 3, 0,
                    2, 4, 5, 14, 12, 3,
                    2, 3, 0, 0, 0, 0}, arrays.get(0).toIntArray());
            assertArrayEquals(new int[] {
                    1, 1, 1, 1, 1, 0,
                    1, 1, 1, 1, 1, 1,
                    1, 1, 0, 0, 0, 0}, arrays.get(1).toIntArray());
        }
    }
}
