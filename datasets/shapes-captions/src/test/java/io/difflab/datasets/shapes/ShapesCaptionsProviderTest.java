package io.difflab.datasets.shapes;

import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesCaptionsProviderTest {

    @TempDir
    Path folder;

    /**
     * The checksum of a small split, fixed here: the generator and renderer use integer arithmetic,
     * StrictMath and seeded streams only, so every machine and JVM must produce these bytes.
     */
    @Test
    void theChecksumOfASmallSplitIsTheSameOnEveryMachine() {
        ImageDataset test = TestSplits.load(folder, Split.TEST, Map.of("test_size", 500));
        assertEquals(GOLDEN_TEST_500, test.checksum());
        ImageDataset large = TestSplits.load(folder, Split.TEST, Map.of("test_size", 200, "image_size", 64));
        assertEquals(GOLDEN_TEST_200_64PX, large.checksum());
    }

    static final String GOLDEN_TEST_500 = "7cd7df8834f403fb4226646c6b5bbe2c52eb3568d92165146f89e4fb2f37149f";
    static final String GOLDEN_TEST_200_64PX = "f74959427880e7c6b671abfaca990066a8dc67d39784a9361cd9545fbe1af562";

    @Test
    void itemsCarryImagesCaptionsScenesAndTheObjectCountAsLabel() {
        ShapesCaptionsDataset train = TestSplits.load(folder, Split.TRAIN, Map.of("train_size", 200));
        assertEquals("shapes-captions/train", train.id());
        assertEquals(200, train.size());
        assertEquals(3, train.shape().channels());
        assertEquals(32, train.shape().height());
        assertEquals(4, train.numClasses());
        float[] pixels = new float[train.shape().size()];
        for (int i = 0; i < train.size(); i++) {
            assertEquals(train.scene(i).size() - 1, train.label(i));
            assertTrue(train.request(i).isSatisfiedBy(train.scene(i)));
            assertEquals(train.caption(i), CaptionGrammar.caption(train.request(i)));
            train.copyImage(i, pixels, 0);
            byte[] rgb = train.rgb(i);
            for (int k = 0; k < pixels.length; k++) {
                assertEquals((rgb[k] & 0xff) / 127.5f - 1f, pixels[k]);
            }
        }
        assertEquals(-1f, pixels[0], "black background in a corner");
    }

    @Test
    void sixtyFourPixelImagesShowTheSameScenes() {
        ShapesCaptionsDataset small = TestSplits.load(folder, Split.TEST, Map.of("test_size", 50));
        ShapesCaptionsDataset large = TestSplits.load(folder, Split.TEST, Map.of("test_size", 50, "image_size", 64));
        assertEquals(64, large.shape().width());
        for (int i = 0; i < 50; i++) {
            assertEquals(small.caption(i), large.caption(i));
            assertEquals(small.scene(i), large.scene(i));
        }
    }

    @Test
    void anImageSizeOtherThan32Or64IsRefused() {
        UserError e = assertThrows(UserError.class,
                () -> TestSplits.load(folder, Split.TEST, Map.of("image_size", 48)));
        assertTrue(e.getMessage().contains("dataset.image_size is 48"), e::getMessage);
    }
}
