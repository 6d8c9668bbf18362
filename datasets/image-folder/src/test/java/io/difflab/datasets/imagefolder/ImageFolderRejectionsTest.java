package io.difflab.datasets.imagefolder;

import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a user's folder can be wrong gives one clear message naming the culprit. */
class ImageFolderRejectionsTest {

    @TempDir
    Path dir;

    private String fails(Path folder, Map<String, Object> options) {
        return fails(folder, options, Split.TRAIN);
    }

    private String fails(Path folder, Map<String, Object> options, Split split) {
        Map<String, Object> values = new HashMap<>(options);
        values.put("folder", folder.toString());
        UserError error = assertThrows(UserError.class,
                () -> new ImageFolderProvider().load(TestImages.config(values), split));
        return error.getMessage();
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }

    private void twoImages() throws IOException {
        TestImages.solid(dir.resolve("a.png"), 4, 4, 0x102030);
        TestImages.solid(dir.resolve("b.png"), 4, 4, 0x102030);
    }

    @Test
    void aMissingFolder() {
        assertContains(fails(dir.resolve("nope"), Map.of()), dir.resolve("nope") + " does not exist");
    }

    @Test
    void aFileInsteadOfAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertContains(fails(file, Map.of()), file + " is not a folder");
    }

    @Test
    void aFolderWithoutImages() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "no images here");
        assertContains(fails(dir, Map.of()), "no PNG or JPEG images in " + dir);
    }

    @Test
    void aFileThatIsNotAnImage() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("c.png"), "this is text");
        assertContains(fails(dir, Map.of("test_fraction", 0.0)), dir.resolve("c.png") + " cannot be read: its content "
                + "is not a PNG or JPEG image");
    }

    @Test
    void aTruncatedPng() throws IOException {
        twoImages();
        Path big = TestImages.solid(dir.resolve("c.png"), 64, 64, 0x123456);
        byte[] bytes = Files.readAllBytes(big);
        Files.write(big, Arrays.copyOf(bytes, bytes.length / 2));
        assertContains(fails(dir, Map.of("test_fraction", 0.0)), dir.resolve("c.png") + " is corrupt");
    }

    @Test
    void aTruncatedJpeg() throws IOException {
        twoImages();
        // noise, so that most of the file is entropy-coded scan data and the cut falls inside it
        BufferedImage noise = new BufferedImage(128, 128,
                BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Path jpeg = TestImages.write(noise, dir.resolve("c.jpg"));
        byte[] bytes = Files.readAllBytes(jpeg);
        Files.write(jpeg, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertContains(fails(dir, Map.of("test_fraction", 0.0)), dir.resolve("c.jpg") + " is corrupt: Truncated File");
    }

    @Test
    void anImageTooLargeToLoad() throws IOException {
        twoImages();
        TestImages.solid(dir.resolve("c.png"), ImageDecoder.MAX_SIDE + 1, 1, 0);
        assertContains(fails(dir, Map.of("test_fraction", 0.0)), dir.resolve("c.png") + " is 16385x1 pixels, too large");
    }

    @Test
    void aCsvNamingAFileThatDoesNotExist() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,x\nmissing.png,y\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 3 names missing.png, which does not exist in " + dir);
    }

    @Test
    void aCsvPathClimbingOutOfTheFolder() throws IOException {
        twoImages();
        TestImages.solid(dir.resolve("outside.png"), 4, 4, 0);
        Path folder = dir.resolve("inner");
        TestImages.solid(folder.resolve("a.png"), 4, 4, 0);
        Files.writeString(folder.resolve("labels.csv"), "file,label\na.png,x\n../outside.png,y\n");
        assertContains(fails(folder, Map.of()), "labels.csv line 3 names ../outside.png, which is not a file inside");
        Files.writeString(folder.resolve("labels.csv"), "file,label\nsub/../../outside.png,y\n");
        assertContains(fails(folder, Map.of()), "labels.csv line 2 names sub/../../outside.png, which is not a file inside");
    }

    @Test
    void aCsvWithAnAbsolutePath() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "file,label\n" + dir.resolve("a.png") + ",x\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 2 names " + dir.resolve("a.png") + ", which is not a file inside");
    }

    @Test
    void aCsvOptionOutsideTheFolder() throws IOException {
        twoImages();
        assertContains(fails(dir, Map.of("csv", "../labels.csv")), "dataset.csv names ../labels.csv, which is not a file inside");
    }

    @Test
    void aCsvOptionNamingAMissingFile() throws IOException {
        twoImages();
        assertContains(fails(dir, Map.of("csv", "lables.csv")), "dataset.csv names lables.csv, which does not exist in " + dir);
    }

    @Test
    void aCsvWithAWrongHeader() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "a.png,cat\nb.png,dog\n");
        assertContains(fails(dir, Map.of()), "line 1: the header row must name the columns file,label or file,caption");
    }

    @Test
    void aCsvRowWithTheWrongNumberOfFields() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,cat,extra\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 2 has 3 fields, the header has 2");
    }

    @Test
    void aCsvNamingAFileTwice() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,cat\nb.png,dog\n./a.png,cat\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 4 names ./a.png a second time");
    }

    @Test
    void aCsvWithAnEmptyLabel() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 2 gives a.png an empty label");
    }

    @Test
    void aCsvNamingAFileThatIsNotAnImage() throws IOException {
        twoImages();
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.writeString(dir.resolve("labels.csv"), "file,label\nnotes.txt,cat\n");
        assertContains(fails(dir, Map.of()), "labels.csv line 2 names notes.txt, which is not a .png, .jpg or .jpeg file");
    }

    @Test
    void twoChannelsAreNeitherGreyNorRgb() throws IOException {
        twoImages();
        assertContains(fails(dir, Map.of("channels", 2)), "dataset.channels must be 1 (grey) or 3 (RGB), not 2");
    }

    @Test
    void anEmptySplit() throws IOException {
        twoImages();
        assertContains(fails(dir, Map.of("test_fraction", 0.0), Split.TEST),
                "the test split of " + dir + " is empty: 2 images with test_fraction 0.0 give 0 test images");
    }
}
