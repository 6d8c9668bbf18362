package io.difflab.datasets.imagefolder;

import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folders of generated images, with and without a CSV. */
class ImageFolderProviderTest {

    private static final String[] ANIMALS = {"cat", "dog", "bird"};
    private static final ImageFolderProvider PROVIDER = new ImageFolderProvider();

    @TempDir
    Path dir;

    /** 20 solid images (some in a subfolder), image i of colour (i, 2i, 3i)·4 and label ANIMALS[i % 3]. */
    private Path labeledFolder(Path folder, List<Integer> creationOrder) throws IOException {
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i : creationOrder) {
            String name = (i % 2 == 0 ? "even/" : "") + "img" + i + ".png";
            TestImages.solid(folder.resolve(name), 12, 12, rgb(i));
        }
        for (int i = 0; i < 20; i++) {
            csv.append(i % 2 == 0 ? "even/" : "").append("img").append(i).append(".png,")
                    .append(ANIMALS[i % 3]).append('\n');
        }
        Files.writeString(folder.resolve("labels.csv"), csv);
        return folder;
    }

    private static int rgb(int i) {
        return (4 * i) << 16 | (8 * i) << 8 | 12 * i;
    }

    private static List<Integer> upTo20() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            order.add(i);
        }
        return order;
    }

    private ImageDataset load(Path folder, Split split, Map<String, Object> options) {
        Map<String, Object> values = new HashMap<>(options);
        values.put("folder", folder.toString());
        return PROVIDER.load(TestImages.config(values), split);
    }

    @Test
    void labelsMapToClassIdsInSortedOrderAndPixelsToMinusOneToOne() throws IOException {
        Path folder = labeledFolder(dir, upTo20());
        ImageDataset train = load(folder, Split.TRAIN, Map.of("image_size", 8));
        ImageDataset test = load(folder, Split.TEST, Map.of("image_size", 8));
        assertEquals(18, train.size());
        assertEquals(2, test.size());
        assertEquals(List.of("bird", "cat", "dog"), train.classNames());
        assertEquals(List.of(3, 8, 8), List.of(train.shape().channels(), train.shape().height(), train.shape().width()));
        assertEquals("image-folder/train", train.id());
        for (ImageDataset split : List.of(train, test)) {
            for (int k = 0; k < split.size(); k++) {
                String file = ((ImageFolderDataset) split).file(k);
                int i = Integer.parseInt(file.replaceAll("\\D", ""));
                assertEquals(split.classNames().indexOf(ANIMALS[i % 3]), split.label(k), file);
                float[] image = new float[3 * 64];
                split.copyImage(k, image, 0);
                assertEquals(4 * i / 127.5f - 1f, image[0], 1e-6f, file);
                assertEquals(8 * i / 127.5f - 1f, image[64 + 63], 1e-6f, file);
                assertEquals(12 * i / 127.5f - 1f, image[128 + 20], 1e-6f, file);
                assertNull(split.caption(k));
            }
        }
    }

    @Test
    void theSplitIsTheSameWhateverOrderTheFilesWereWrittenIn() throws IOException {
        List<Integer> reversed = upTo20();
        Collections.reverse(reversed);
        ImageDataset a = load(labeledFolder(dir.resolve("a"), upTo20()), Split.TEST, Map.of());
        ImageDataset b = load(labeledFolder(dir.resolve("b"), reversed), Split.TEST, Map.of());
        ImageDataset again = load(dir.resolve("a"), Split.TEST, Map.of());
        assertEquals(files(a), files(b));
        assertEquals(files(a), files(again));
        assertEquals(a.checksum(), again.checksum());
        assertEquals(a.checksum(), b.checksum());

        Set<String> train = new HashSet<>(files(load(dir.resolve("a"), Split.TRAIN, Map.of())));
        assertTrue(Collections.disjoint(train, files(a)));
        assertEquals(20, train.size() + a.size());
    }

    @Test
    void theChecksumFollowsTheFilesContent() throws IOException {
        Path folder = labeledFolder(dir, upTo20());
        ImageDataset before = load(folder, Split.TRAIN, Map.of());
        TestImages.solid(folder.resolve(((ImageFolderDataset) before).file(0)), 12, 12, 0xffffff);
        assertNotEquals(before.checksum(), load(folder, Split.TRAIN, Map.of()).checksum());
    }

    @Test
    void aWideImageIsCentreCroppedThenResized() throws IOException {
        // 40x20: black on the left half, white on the right; its centre 20x20 is half black, half white
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 20; x < 40; x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        TestImages.write(image, dir.resolve("wide.png"));
        ImageDataset one = load(dir, Split.TRAIN, Map.of("image_size", 8, "channels", 1, "test_fraction", 0.0));
        float[] out = new float[64];
        one.copyImage(0, out, 0);
        float[] row = {-1, -1, -1, -1, 1, 1, 1, 1};
        for (int y = 0; y < 8; y++) {
            assertArrayEquals(row, Arrays.copyOfRange(out, y * 8, y * 8 + 8), "row " + y);
        }
        assertEquals(-1, one.label(0));
        assertEquals(0, one.numClasses());
    }

    @Test
    void greyImagesKeepTheirValuesAndColourBecomesLuma() throws IOException {
        TestImages.grey(dir.resolve("a-grey.png"), 6, 6, 100);
        TestImages.solid(dir.resolve("b-colour.png"), 6, 6, 200 << 16 | 100 << 8 | 50);
        ImageDataset grey = load(dir, Split.TRAIN, Map.of("image_size", 6, "channels", 1, "test_fraction", 0.0));
        float[] out = new float[36];
        grey.copyImage(0, out, 0);
        assertEquals(100 / 127.5f - 1f, out[7], 1e-6f);
        grey.copyImage(1, out, 0);
        long luma = Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50);
        assertEquals(luma / 127.5f - 1f, out[7], 1e-6f);

        ImageDataset rgb = load(dir, Split.TRAIN, Map.of("image_size", 6, "channels", 3, "test_fraction", 0.0));
        float[] three = new float[3 * 36];
        rgb.copyImage(0, three, 0);
        assertEquals(out.length * 3, three.length);
        assertEquals(three[5], three[36 + 5]);
        assertEquals(three[5], three[72 + 5]);
    }

    @Test
    void jpegImagesAreRead() throws IOException {
        TestImages.solid(dir.resolve("photo.JPG"), 16, 16, 0x808080);
        TestImages.solid(dir.resolve("other.jpeg"), 16, 16, 0x202020);
        ImageDataset photos = load(dir, Split.TRAIN, Map.of("image_size", 4, "test_fraction", 0.0));
        assertEquals(2, photos.size());
        float[] out = new float[48];
        photos.copyImage(1, out, 0);
        assertEquals(128 / 127.5f - 1f, out[0], 3 / 127.5f);
    }

    @Test
    void captionsComeFromTheCsvAndNumericLabelsSortAsNumbers() throws IOException {
        for (int i = 0; i < 3; i++) {
            TestImages.solid(dir.resolve("p" + i + ".png"), 4, 4, rgb(i));
        }
        Files.writeString(dir.resolve("meta.csv"), "File,Label,Caption\n"
                + "p0.png,10,\"a sneaker, white\"\n"
                + "p1.png,2,\"the \"\"best\"\" boot\"\n"
                + "p2.png,1,\n");
        ImageDataset all = load(dir, Split.TRAIN, Map.of("csv", "meta.csv", "test_fraction", 0.0));
        assertEquals(List.of("1", "2", "10"), all.classNames());
        assertEquals(List.of(2, 1, 0), List.of(all.label(0), all.label(1), all.label(2)));
        assertEquals("a sneaker, white", all.caption(0));
        assertEquals("the \"best\" boot", all.caption(1));
        assertEquals("", all.caption(2));
    }

    @Test
    void imagesLeftOutOfTheCsvAreNotLoaded() throws IOException {
        TestImages.solid(dir.resolve("in.png"), 4, 4, 0);
        TestImages.solid(dir.resolve("out.png"), 4, 4, 0);
        TestImages.solid(dir.resolve(".hidden/x.png"), 4, 4, 0);
        Files.writeString(dir.resolve("labels.csv"), "file,caption\nin.png,kept\n");
        ImageDataset kept = load(dir, Split.TRAIN, Map.of("test_fraction", 0.0));
        assertEquals(List.of("in.png"), files(kept));
        assertEquals("kept", kept.caption(0));
        ImageDataset noCsv = load(dir, Split.TRAIN, Map.of("test_fraction", 0.0, "csv", ""));
        assertEquals(List.of("in.png", "out.png"), files(noCsv));
        assertNull(noCsv.caption(0));
        Files.delete(dir.resolve("labels.csv"));
        assertEquals(List.of("in.png", "out.png"), files(load(dir, Split.TRAIN, Map.of("test_fraction", 0.0))));
    }

    private static List<String> files(ImageDataset dataset) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            out.add(((ImageFolderDataset) dataset).file(i));
        }
        return out;
    }
}
