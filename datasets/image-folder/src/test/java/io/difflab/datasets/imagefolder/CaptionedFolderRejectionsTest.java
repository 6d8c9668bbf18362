package io.difflab.datasets.imagefolder;

import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A malformed metadata.jsonl or caption file gives one message naming the file, the line and its start. */
class CaptionedFolderRejectionsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        TestImages.solid(dir.resolve("a.png"), 4, 4, 0);
        TestImages.solid(dir.resolve("b.png"), 4, 4, 0);
    }

    private String fails(String metadata) throws IOException {
        Files.writeString(dir.resolve("metadata.jsonl"), metadata);
        return fails(Map.of());
    }

    private String fails(Map<String, Object> options) {
        Map<String, Object> values = new java.util.HashMap<>(options);
        values.put("folder", dir.toString());
        values.put("test_fraction", 0.0);
        return assertThrows(UserError.class,
                () -> new ImageFolderProvider().load(TestImages.config(values), Split.TRAIN)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
        }
    }

    private static final String A = "{\"file_name\": \"a.png\", \"text\": \"a\"}\n";

    @Test
    void aLineThatIsNotJsonShowsItsNumberAndStart() throws IOException {
        String broken = "{\"file_name\": \"b.png\", \"text\": \"a very long caption that goes on and on past the excerpt";
        String message = fails(A + "\n" + broken + "\n");
        assertContains(message, "metadata.jsonl line 3 is not valid JSON (Unterminated string at column 89)",
                ": {\"file_name\": \"b.png\", \"text\": \"a very long caption that goe…");
        assertTrue(message.length() < 300, message);
    }

    @Test
    void jsonThatIsNotStrictIsRefused() throws IOException {
        assertContains(fails(A + "{'file_name': 'b.png'}\n"), "line 2 is not valid JSON");
        assertContains(fails(A + "{\"file_name\": \"b.png\"} {\"file_name\": \"a.png\"}\n"), "line 2 ");
    }

    @Test
    void aLineThatIsNotAnObject() throws IOException {
        assertContains(fails(A + "[\"b.png\", \"a caption\"]\n"), "metadata.jsonl line 2 is not a JSON object",
                ": [\"b.png\", \"a caption\"]");
    }

    @Test
    void aLineWithoutAFileName() throws IOException {
        assertContains(fails(A + "{\"image\": \"b.png\", \"text\": \"b\"}\n"),
                "metadata.jsonl line 2 has no \"file_name\"", "{\"image\": \"b.png\"");
    }

    @Test
    void valuesOfTheWrongType() throws IOException {
        assertContains(fails(A + "{\"file_name\": 7, \"text\": \"b\"}\n"),
                "metadata.jsonl line 2: \"file_name\" must be a string, got 7");
        assertContains(fails(A + "{\"file_name\": \"b.png\", \"text\": null}\n"),
                "metadata.jsonl line 2: \"text\" must be a string, got null");
    }

    @Test
    void filesThatAreMissingListedTwiceOrOutside() throws IOException {
        assertContains(fails(A + "{\"file_name\": \"c.png\", \"text\": \"c\"}\n"),
                "metadata.jsonl line 2 names c.png, which does not exist in " + dir);
        assertContains(fails(A + A), "metadata.jsonl line 2 names a.png a second time");
        assertContains(fails(A + "{\"file_name\": \"../x.png\", \"text\": \"x\"}\n"),
                "metadata.jsonl line 2 names ../x.png, which is not a file inside");
        assertContains(fails(A + "{\"file_name\": \"notes.txt\", \"text\": \"x\"}\n"), "not a .png, .jpg or .jpeg");
    }

    @Test
    void someLinesWithTextAndOthersWithout() throws IOException {
        assertContains(fails(A + "{\"file_name\": \"b.png\"}\n"),
                "metadata.jsonl line 2 has no \"text\", while other lines have one");
    }

    @Test
    void anEmptyMetadataFileOrANamedOneThatIsMissing() throws IOException {
        assertContains(fails("\n  \n"), "lists no images");
        Files.delete(dir.resolve("metadata.jsonl"));
        assertContains(fails(Map.of("metadata", "captions.jsonl")),
                "dataset.metadata names captions.jsonl, which does not exist in " + dir);
    }

    @Test
    void aLabelsCsvAndAMetadataFileTogether() throws IOException {
        Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,x\n");
        assertContains(fails(A), "has both labels.csv and metadata.jsonl; keep one");
        Map<String, Object> csvOff = Map.of("csv", "");
        Map<String, Object> values = new java.util.HashMap<>(csvOff);
        values.put("folder", dir.toString());
        values.put("test_fraction", 0.0);
        assertEquals("a", new ImageFolderProvider().load(TestImages.config(values), Split.TRAIN).caption(0));
    }

    @Test
    void aCaptionFileWithoutCaptionsOrNotUtf8() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "\n   \n");
        assertContains(fails(Map.of()), dir.resolve("a.txt") + " holds no caption for a.png: every line is blank");
        Files.write(dir.resolve("a.txt"), new byte[] {'a', ' ', (byte) 0xff, 'b'});
        assertContains(fails(Map.of()), dir.resolve("a.txt") + " is not UTF-8 text");
    }
}
