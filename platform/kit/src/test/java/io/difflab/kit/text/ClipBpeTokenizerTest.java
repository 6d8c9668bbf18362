package io.difflab.kit.text;

import io.difflab.api.Config;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clip-bpe tokenizer's options, its saved vocabulary, and one clear message for each wrong file. */
class ClipBpeTokenizerTest {

    private static final Path SAMPLE_JSON = ClipBpeGoldenTest.resource("clip-bpe-sample.tokenizer.json");
    private static final Path SAMPLE_MERGES = ClipBpeGoldenTest.resource("clip-bpe-sample.txt");

    private static String message(String vocabulary) {
        return assertThrows(UserError.class, () -> new ClipBpeTokenizer().vocabulary(
                ClipBpeGoldenTest.config(vocabulary), List::of)).getMessage();
    }

    @Test
    void aShorterContextTruncatesAndKeepsTheEndId() {
        Config config = new Config("tokenizer", Map.of("vocabulary", SAMPLE_JSON.toString(), "context_length", 5));
        try (Vocabulary v = new ClipBpeTokenizer().vocabulary(config, List::of)) {
            // a photo of a cat -> 320 1125 539 320 2368: three fit between start and end
            assertArrayEquals(new int[] {2512, 320, 1125, 539, 2513}, v.encode("a photo of a cat"));
        }
    }

    @Test
    void theSavedTokenizerJsonLoadsTheSameVocabulary(@TempDir Path dir) throws IOException {
        Path saved = dir.resolve("model/tokenizer.json");
        try (Vocabulary v = new ClipBpeTokenizer().vocabulary(ClipBpeGoldenTest.config(SAMPLE_JSON.toString()), List::of)) {
            v.save(saved);
            try (Vocabulary again = new ClipBpeTokenizer().vocabulary(ClipBpeGoldenTest.config(saved.toString()),
                    List::of)) {
                assertEquals(v.size(), again.size());
                assertArrayEquals(v.encode("two blue squares left of a star"),
                        again.encode("two blue squares left of a star"));
            }
        }
        assertArrayEquals(Files.readAllBytes(SAMPLE_JSON), Files.readAllBytes(saved));
    }

    @Test
    void wrongFilesGetOneMessageNamingTheFix(@TempDir Path dir) throws IOException {
        String missing = message(dir.resolve("tokenizer.json").toString());
        assertTrue(missing.startsWith("tokenizer.vocabulary: no CLIP tokenizer at ")
                && missing.contains("tools/clip/bpe_to_tokenizer_json.py"), missing);

        String merges = message(SAMPLE_MERGES.toString());
        assertTrue(merges.contains("is not JSON") && merges.contains("bpe_to_tokenizer_json.py"), merges);

        Path gz = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(SAMPLE_MERGES));
        }
        String gzipped = message(gz.toString());
        assertTrue(gzipped.contains("gzip-compressed"), gzipped);

        Path bert = Files.writeString(dir.resolve("bert.json"),
                "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}}");
        String other = message(bert.toString());
        assertTrue(other.contains("not a BPE with the end-of-word suffix </w>"), other);

        String none = assertThrows(UserError.class, () -> new ClipBpeTokenizer().vocabulary(
                Config.of("tokenizer", new ClipBpeTokenizer().options(), Map.of("vocabulary", "")), List::of)).getMessage();
        assertEquals("tokenizer.vocabulary: the clip-bpe tokenizer needs a tokenizer.json", none);
    }
}
