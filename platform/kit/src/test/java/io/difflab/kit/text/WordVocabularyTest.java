package io.difflab.kit.text;

import io.difflab.api.Config;
import io.difflab.api.TokenBatch;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The word tokenizer: a deterministic vocabulary from captions, the unknown word, files that keep it. */
class WordVocabularyTest {

    static final List<String> CAPTIONS = List.of(
            "Three red circles.",
            "a red circle and a blue square",
            "a green triangle left of a yellow star",
            "two blue squares");

    static Config config(Map<String, Object> values) {
        return Config.of("tokenizer", new WordTokenizer().options(), values);
    }

    @Test
    void theVocabularyIsOrderedByCountThenCodePoints() {
        WordVocabulary v = WordVocabulary.build(CAPTIONS, 1, 0, 8);
        // a ×4; blue, red ×2; then the words seen once in code-point order ("." before letters)
        List<String> expected = List.of("<pad>", "<unk>", "<start>", "<end>", "a", "blue", "red", ".", "and",
                "circle", "circles", "green", "left", "of", "square", "squares", "star", "three", "triangle", "two",
                "yellow");
        assertEquals(expected.size(), v.size());
        for (int id = 0; id < expected.size(); id++) {
            assertEquals(expected.get(id), v.token(id));
        }
        List<String> reversed = new ArrayList<>(CAPTIONS);
        Collections.reverse(reversed);
        WordVocabulary again = WordVocabulary.build(reversed, 1, 0, 8);
        for (int id = 0; id < expected.size(); id++) {
            assertEquals(expected.get(id), again.token(id), "the captions' order does not matter");
        }
    }

    @Test
    void captionsBecomeRowsWithStartEndPaddingAndUnknownWords() {
        WordVocabulary v = WordVocabulary.build(CAPTIONS, 1, 0, 8);
        // "A RED Hexagon." -> a, red, <unk>, .
        assertArrayEquals(new int[] {4, 6, 1, 7}, v.textIds("A RED Hexagon."));
        assertArrayEquals(new int[] {2, 4, 6, 1, 7, 3, 0, 0}, v.encode("A RED Hexagon."));
        TokenBatch batch = v.encode(List.of("a red circle and a blue square left of a green triangle", ""));
        // 11 words, context 8: start, the first 6 words, end
        assertArrayEquals(new int[] {2, 4, 6, 9, 8, 4, 5, 3}, batch.ids(0));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, batch.mask(0));
        assertArrayEquals(new int[] {2, 3, 0, 0, 0, 0, 0, 0}, batch.ids(1));
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 0, 0}, batch.mask(1));
    }

    @Test
    void wordsAreLetterRunsDigitRunsAndSingleSymbolsAfterNfcAndLowerCase() {
        assertEquals(List.of("it", "'", "s", "12", ":", "30", "café", "ü", "2", "cars", "!", "!"),
                WordVocabulary.words("It's 12:30  Cafe\u0301 \u00dc 2cars!!"));
    }

    @Test
    void minCountAndMaxWordsKeepTheFrequentWords() {
        WordVocabulary frequent = WordVocabulary.build(CAPTIONS, 2, 0, 8);
        assertEquals(7, frequent.size());
        assertArrayEquals(new int[] {4, 5, 6, 1}, frequent.textIds("a blue red star"));
        assertEquals(6, WordVocabulary.build(CAPTIONS, 1, 2, 8).size());
    }

    @Test
    void aSavedVocabularyLoadsWithTheSameIds(@TempDir Path dir) throws IOException {
        WordTokenizer tokenizer = new WordTokenizer();
        Vocabulary built = tokenizer.vocabulary(config(Map.of("context_length", 12)), () -> CAPTIONS);
        Path file = dir.resolve("run/vocabulary.txt");
        built.save(file);
        assertEquals("<pad>", Files.readAllLines(file).get(0));
        Vocabulary loaded = tokenizer.vocabulary(config(Map.of("context_length", 12, "vocabulary", file.toString())),
                () -> {
                    throw new AssertionError("a saved vocabulary needs no captions");
                });
        assertEquals(built.size(), loaded.size());
        for (String caption : List.of("two green circles left of a star", "an unseen caption")) {
            assertArrayEquals(built.encode(caption), loaded.encode(caption));
        }
    }

    @Test
    void aMissingOrBrokenFileOrNoCaptionsIsTheUsersError(@TempDir Path dir) throws IOException {
        WordTokenizer tokenizer = new WordTokenizer();
        UserError missing = assertThrows(UserError.class, () -> tokenizer.vocabulary(
                config(Map.of("vocabulary", dir.resolve("none.txt").toString())), List::of));
        assertTrue(missing.getMessage().startsWith("tokenizer.vocabulary: no word vocabulary at "), missing.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.txt"), "hello\nworld\n");
        UserError wrong = assertThrows(UserError.class, () -> tokenizer.vocabulary(
                config(Map.of("vocabulary", broken.toString())), List::of));
        assertTrue(wrong.getMessage().contains("is not a word vocabulary"), wrong.getMessage());
        UserError none = assertThrows(UserError.class, () -> tokenizer.vocabulary(config(Map.of()), List::of));
        assertTrue(none.getMessage().contains("has none"), none.getMessage());
    }
}
