package io.difflab.kit.text;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.difflab.api.Config;
import io.difflab.api.TokenBatch;
import io.difflab.api.Vocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CLIP's BPE through Hugging Face tokenizers gives, on the committed vocabulary sample (the first
 * 2000 merges of OpenAI's bpe_simple_vocab_16e6.txt), exactly the ids of an independent
 * implementation of the algorithm ({@code tools/clip/clip_bpe_reference.py}, which wrote
 * {@code clip-bpe-golden.json}): punctuation, contractions, numbers, white space, accents (composed
 * and not), CJK, emoji, Greek, the end token inside a caption, an empty and two truncated captions.
 */
class ClipBpeGoldenTest {

    private static Vocabulary vocabulary;
    private static JsonObject golden;

    static Path resource(String name) {
        try {
            return Path.of(ClipBpeGoldenTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Config config(String vocabulary) {
        return new Config("tokenizer", Map.of("vocabulary", vocabulary, "context_length", 77));
    }

    @BeforeAll
    static void load() throws IOException {
        vocabulary = new ClipBpeTokenizer().vocabulary(
                config(resource("clip-bpe-sample.tokenizer.json").toString()), List::of);
        try (InputStream in = ClipBpeGoldenTest.class.getResourceAsStream("clip-bpe-golden.json")) {
            golden = JsonUtils.GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonObject.class);
        }
    }

    @AfterAll
    static void close() {
        vocabulary.close();
    }

    private static int[] ints(JsonElement array) {
        return StreamSupport.stream(array.getAsJsonArray().spliterator(), false).mapToInt(JsonElement::getAsInt).toArray();
    }

    private static List<JsonObject> cases() {
        List<JsonObject> cases = new ArrayList<>();
        golden.getAsJsonArray("cases").forEach(c -> cases.add(c.getAsJsonObject()));
        return cases;
    }

    @Test
    void theSpecialIdsAndSizeAreThoseOfTheSample() {
        // 256 byte symbols, the same with </w>, 2000 merges, then <|startoftext|> and <|endoftext|>
        assertEquals(2514, vocabulary.size());
        assertEquals(2512, vocabulary.startId());
        assertEquals(2513, vocabulary.endId());
        assertEquals(0, vocabulary.padId());
        assertEquals(golden.get("vocabulary_size").getAsInt(), vocabulary.size());
        assertEquals(golden.get("start_id").getAsInt(), vocabulary.startId());
        assertEquals(golden.get("end_id").getAsInt(), vocabulary.endId());
        assertEquals(77, vocabulary.contextLength());
    }

    @Test
    void textIdsEqualTheReferenceImplementation() {
        for (JsonObject c : cases()) {
            String caption = c.get("caption").getAsString();
            assertArrayEquals(ints(c.get("text_ids")), vocabulary.textIds(caption), caption);
        }
    }

    @Test
    void rowsEqualTheReferenceImplementationAndFollowThePaddingConvention() {
        List<String> captions = cases().stream().map(c -> c.get("caption").getAsString()).toList();
        TokenBatch batch = vocabulary.encode(captions);
        int truncated = 0;
        for (int r = 0; r < captions.size(); r++) {
            JsonObject c = cases().get(r);
            int[] row = batch.ids(r);
            assertArrayEquals(ints(c.get("row")), row, captions.get(r));
            int textLength = ints(c.get("text_ids")).length;
            int length = Math.min(textLength, 75) + 2;
            assertEquals(length, batch.length(r));
            assertEquals(vocabulary.endId(), row[length - 1], "the end id closes the marked positions");
            int[] mask = batch.mask(r);
            for (int i = 0; i < 77; i++) {
                assertEquals(i < length ? 1 : 0, mask[i]);
                if (i >= length) {
                    assertEquals(0, row[i], "pad id after the end id");
                }
            }
            truncated += textLength > 75 ? 1 : 0;
        }
        assertEquals(2, truncated, "two golden captions are longer than the context");
        assertArrayEquals(new int[] {2512, 2513, 0}, java.util.Arrays.copyOf(vocabulary.encode(""), 3));
    }

    @Test
    void aCaptionIsItsOwnWordsAndByteSymbols() {
        // "a" and "photo" are single tokens of the sample; "cat" too: start, a, photo, of, a, cat, end
        assertArrayEquals(new int[] {320, 1125, 539, 320, 2368}, vocabulary.textIds("A photo of a CAT"));
        assertArrayEquals(vocabulary.textIds("a photo of a cat"), vocabulary.textIds("  a photo\tof a cat\n"));
        // the emoji's four UTF-8 bytes F0 9F 90 B1: the sample merges the first three (common to many
        // emoji) and leaves the last with the end-of-word suffix
        assertArrayEquals(new int[] {2074, 365}, vocabulary.textIds("\uD83D\uDC31"));
    }
}
