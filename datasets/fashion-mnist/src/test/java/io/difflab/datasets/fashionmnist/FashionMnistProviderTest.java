package io.difflab.datasets.fashionmnist;

import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real release as Debian's dataset-fashion-mnist installs it. */
class FashionMnistProviderTest {

    /** {@code (zcat train-images-idx3-ubyte.gz; zcat train-labels-idx1-ubyte.gz) | sha256sum} */
    private static final String TRAIN_SHA256 = "d9ef4273af5c2e360155dad0c06bd939447bf37a6620db007d69fc79e4732045";
    /** The same for the t10k files. */
    private static final String TEST_SHA256 = "30214f3fe91405cb8ea60b11ecf0914a65dd6a6ca8e13c13a62eb434f2d9fe56";

    private static final FashionMnistProvider PROVIDER = new FashionMnistProvider();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void load() {
        train = PROVIDER.load(TestConfigs.config(PROVIDER, Map.of()), Split.TRAIN);
        test = PROVIDER.load(TestConfigs.config(PROVIDER, Map.of()), Split.TEST);
    }

    @Test
    void splitsHaveTheReleaseSizesAndShape() {
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals("fashion-mnist/train", train.id());
        assertEquals("fashion-mnist/test", test.id());
        assertEquals(List.of(1, 28, 28), List.of(train.shape().channels(), train.shape().height(),
                train.shape().width()));
        assertEquals(10, train.numClasses());
        assertEquals("Ankle boot", train.classNames().get(9));
    }

    @Test
    void valuesSpanMinusOneToOne() {
        float[] image = new float[784];
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, image, 0);
            for (float v : image) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(-1f, min);
        assertEquals(1f, max);
    }

    @Test
    void firstTrainingImageIsAnAnkleBootWithAKnownPixel() {
        // zcat train-images-idx3-ubyte.gz | xxd -s 16: row 5, column 15 of image 0 is 0xcc = 204
        float[] image = new float[784 + 3];
        train.copyImage(0, image, 3);
        assertEquals(204 / 127.5f - 1f, image[3 + 5 * 28 + 15], 0f);
        assertEquals(0.6f, image[3 + 5 * 28 + 15], 1e-6f);
        assertEquals(-1f, image[3]);
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
        assertEquals(2, test.label(1));
    }

    @Test
    void everyClassHas6000TrainingAnd1000TestImages() {
        assertArrayEquals(filled(6000), labelCounts(train));
        assertArrayEquals(filled(1000), labelCounts(test));
    }

    @Test
    void checksumIsTheSha256OfTheSplitsDecompressedFiles() {
        assertEquals(TRAIN_SHA256, train.checksum());
        assertEquals(TEST_SHA256, test.checksum());
        ImageDataset again = PROVIDER.load(TestConfigs.config(PROVIDER, Map.of()), Split.TEST);
        assertEquals(test.checksum(), again.checksum());
    }

    @Test
    void limitKeepsTheFirstImages() {
        ImageDataset first = PROVIDER.load(TestConfigs.config(PROVIDER, Map.of("limit", 100)), Split.TEST);
        assertEquals(100, first.size());
        for (int i : new int[] {0, 57, 99}) {
            assertArrayEquals(image(test, i), image(first, i));
            assertEquals(test.label(i), first.label(i));
        }
        assertEquals(test.checksum(), first.checksum());
    }

    @Test
    void classesKeepOnlyThoseLabelsInOrder() {
        ImageDataset shoes = PROVIDER.load(TestConfigs.config(PROVIDER, Map.of("classes", List.of(5, 7))), Split.TEST);
        assertEquals(2000, shoes.size());
        int[] counts = labelCounts(shoes);
        assertEquals(1000, counts[5]);
        assertEquals(1000, counts[7]);
        int firstSneaker = firstWithLabel(test, 7);
        assertArrayEquals(image(test, firstSneaker), image(shoes, firstWithLabel(shoes, 7)));
        assertEquals(10, shoes.numClasses());

        ImageDataset few = PROVIDER.load(
                TestConfigs.config(PROVIDER, Map.of("classes", List.of(5, 7), "limit", 3)), Split.TEST);
        assertEquals(3, few.size());
        assertArrayEquals(image(shoes, 2), image(few, 2));
    }

    @Test
    void copyImageScalesEveryByteValue() {
        byte[] pixels = new byte[784];
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        FashionMnistDataset one = new FashionMnistDataset("x", pixels, new byte[] {3}, "c");
        float[] out = image(one, 0);
        for (int i = 0; i < 256; i++) {
            assertEquals(i / 127.5 - 1, out[i], 1e-6, "byte " + i);
        }
        assertTrue(out[255] == 1f && out[0] == -1f);
    }

    private static float[] image(ImageDataset dataset, int index) {
        float[] out = new float[dataset.shape().size()];
        dataset.copyImage(index, out, 0);
        return out;
    }

    private static int firstWithLabel(ImageDataset dataset, int label) {
        for (int i = 0; i < dataset.size(); i++) {
            if (dataset.label(i) == label) {
                return i;
            }
        }
        throw new AssertionError("no image with label " + label);
    }

    private static int[] labelCounts(ImageDataset dataset) {
        int[] counts = new int[10];
        for (int i = 0; i < dataset.size(); i++) {
            counts[dataset.label(i)]++;
        }
        return counts;
    }

    private static int[] filled(int value) {
        int[] out = new int[10];
        Arrays.fill(out, value);
        return out;
    }
}
