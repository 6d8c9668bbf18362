package io.difflab.datasets.imagefolder;

import io.difflab.api.ConditionFields;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captioned folders in the layouts people already use, written as real files: Hugging Face's
 * imagefolder {@code metadata.jsonl} and DALLE-pytorch's image/.txt pairs.
 */
class CaptionedFoldersTest {

    @TempDir
    Path dir;

    private ImageDataset load(Split split, Map<String, Object> options) {
        Map<String, Object> values = new HashMap<>(options);
        values.put("folder", dir.toString());
        return new ImageFolderProvider().load(TestImages.config(values), split);
    }

    private ImageDataset all(Map<String, Object> options) {
        Map<String, Object> values = new HashMap<>(options);
        values.put("test_fraction", 0.0);
        return load(Split.TRAIN, values);
    }

    private static List<String> files(ImageDataset d) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(((ImageFolderDataset) d).file(i));
        }
        return out;
    }

    private static List<String> captions(ImageDataset d) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            out.add((String) d.field(ConditionFields.CAPTION, i));
        }
        return out;
    }

    @Test
    void metadataJsonlGivesEachListedImageItsText() throws IOException {
        TestImages.solid(dir.resolve("train/0001.png"), 6, 6, 0xff0000);
        TestImages.solid(dir.resolve("train/0002.jpg"), 6, 6, 0x0000ff);
        TestImages.solid(dir.resolve("unlisted.png"), 6, 6, 0x00ff00);
        Files.writeString(dir.resolve("metadata.jsonl"), "\uFEFF{\"file_name\": \"train/0002.jpg\", \"text\": "
                + "\"a blue square, \\\"large\\\"\", \"additional_feature\": [1, {\"x\": null}]}\r\n"
                + "\n"
                + "{\"text\": \"a red circle\", \"file_name\": \"train/0001.png\"}\n");
        ImageDataset d = all(Map.of());
        assertEquals(List.of("train/0001.png", "train/0002.jpg"), files(d), "the listed images, the unlisted one out");
        assertEquals(List.of("a red circle", "a blue square, \"large\""), captions(d));
        assertEquals(Map.of(ConditionFields.CAPTION, String.class), d.fields());
        assertEquals(0, d.numClasses());
        float[] pixels = new float[3 * 32 * 32];
        d.copyImage(0, pixels, 0);
        assertEquals(1f, pixels[0], 1e-6f, "red");
        String checksum = d.checksum();
        Files.writeString(dir.resolve("metadata.jsonl"), "{\"file_name\": \"train/0002.jpg\", \"text\": \"a square\"}\n"
                + "{\"file_name\": \"train/0001.png\", \"text\": \"a red circle\"}\n");
        assertNotEquals(checksum, all(Map.of()).checksum(), "the captions are part of the checksum");
    }

    @Test
    void metadataWithoutTextListsUncaptionedImages() throws IOException {
        TestImages.solid(dir.resolve("a.png"), 4, 4, 0);
        TestImages.solid(dir.resolve("b.png"), 4, 4, 0);
        Files.writeString(dir.resolve("metadata.jsonl"), "{\"file_name\": \"b.png\", \"label\": 3}\n");
        ImageDataset d = all(Map.of());
        assertEquals(List.of("b.png"), files(d));
        assertTrue(d.fields().isEmpty(), "no caption field");
        assertEquals(List.of("a.png", "b.png"), files(all(Map.of("metadata", ""))), "metadata off: the folder");
    }

    @Test
    void textFilesBesideImagesGiveOneItemPerCaptionLine() throws IOException {
        TestImages.solid(dir.resolve("birds/robin.png"), 4, 4, 0xff0000);
        TestImages.solid(dir.resolve("birds/wren.jpg"), 4, 4, 0x00ff00);
        TestImages.solid(dir.resolve("no-caption.png"), 4, 4, 0x0000ff);
        Files.writeString(dir.resolve("birds/robin.txt"), "a red bird\r\n\r\n  a robin on a branch  \n");
        Files.writeString(dir.resolve("birds/wren.txt"), "a small brown bird");
        Files.writeString(dir.resolve("notes.txt"), "not beside any image");
        ImageDataset d = all(Map.of());
        assertEquals(List.of("birds/robin.png", "birds/robin.png", "birds/wren.jpg"), files(d));
        assertEquals(List.of("a red bird", "a robin on a branch", "a small brown bird"), captions(d));
        float[] first = new float[3 * 32 * 32];
        float[] second = new float[first.length];
        d.copyImage(0, first, 0);
        d.copyImage(1, second, 0);
        assertArrayEquals(first, second, "both captions of the robin show the robin");
        assertEquals("image-folder/train (3 items of 2 images)", d.toString());
        ImageDataset plain = all(Map.of("text_files", false));
        assertEquals(List.of("birds/robin.png", "birds/wren.jpg", "no-caption.png"), files(plain));
        assertNull(plain.caption(0));
    }

    @Test
    void everyCaptionOfAnImageFallsInTheSameSplit() throws IOException {
        for (int i = 0; i < 12; i++) {
            TestImages.solid(dir.resolve("img" + i + ".png"), 4, 4, i * 0x101010);
            Files.writeString(dir.resolve("img" + i + ".txt"), "caption one of " + i + "\ncaption two of " + i + "\n");
        }
        ImageDataset train = load(Split.TRAIN, Map.of("test_fraction", 0.25));
        ImageDataset test = load(Split.TEST, Map.of("test_fraction", 0.25));
        assertEquals(2 * 9, train.size());
        assertEquals(2 * 3, test.size());
        Set<String> trainFiles = new HashSet<>(files(train));
        assertTrue(files(test).stream().noneMatch(trainFiles::contains), "no image in both splits");
        for (int i = 0; i < test.size(); i += 2) {
            String n = files(test).get(i).replaceAll("\\D", "");
            assertEquals(List.of("caption one of " + n, "caption two of " + n), captions(test).subList(i, i + 2));
        }
    }

    @Test
    void captionsAreUtf8AndTheChecksumReadsTheTextFiles() throws IOException {
        TestImages.solid(dir.resolve("a.png"), 4, 4, 0);
        Files.write(dir.resolve("a.txt"), "ein Vogel über dem Fluss — 鳥".getBytes(StandardCharsets.UTF_8));
        ImageDataset d = all(Map.of());
        assertEquals("ein Vogel über dem Fluss — 鳥", d.caption(0));
        String before = d.checksum();
        Files.writeString(dir.resolve("a.txt"), "another caption");
        assertNotEquals(before, all(Map.of()).checksum());
        assertFalse(all(Map.of("text_files", false)).fields().containsKey(ConditionFields.CAPTION));
    }
}
