package io.difflab.host.run;

import io.difflab.api.ConditionFields;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.UserError;
import io.difflab.host.spec.SampleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each sample is asked for: from the spec's sample section, else from the dataset. */
class SampleRequestsTest {

    private static final ImageShape GREY = new ImageShape(1, 2, 2);
    private static final DatasetInfo LABELED_CAPTIONED = new DatasetInfo(GREY, List.of("a", "b", "c"),
            Map.of(ConditionFields.LABEL, Integer.class, ConditionFields.CAPTION, String.class));
    private static final SampleSettings NOTHING = new SampleSettings(7, 4, List.of(), List.of(), "");

    /** A 5-image test split whose captions name the item, pixels = index / 10. */
    private static ImageDataset test(AtomicInteger loads) {
        loads.incrementAndGet();
        return new ImageDataset() {
            @Override public String id() { return "fake/test"; }
            @Override public int size() { return 5; }
            @Override public ImageShape shape() { return GREY; }
            @Override public void copyImage(int index, float[] into, int offset) {
                java.util.Arrays.fill(into, offset, offset + 4, index / 10f);
            }
            @Override public int label(int index) { return index % 3; }
            @Override public int numClasses() { return 3; }
            @Override public List<String> classNames() { return List.of("a", "b", "c"); }
            @Override public String caption(int index) { return "item " + index; }
            @Override public String checksum() { return "0"; }
        };
    }

    @Test
    void labelsCycleThroughTheClassesAndTheTestSplitIsNotLoadedForThem() {
        AtomicInteger loads = new AtomicInteger();
        Map<String, List<Object>> r = SampleRequests.of(Set.of(ConditionFields.LABEL), NOTHING, LABELED_CAPTIONED,
                () -> test(loads), 7);
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), r.get(ConditionFields.LABEL));
        assertEquals(0, loads.get(), "every class in turn needs no test split");
    }

    @Test
    void givenLabelsAndPromptsAreCycledOverTheSamples() {
        SampleSettings given = new SampleSettings(5, 4, List.of(2, 0), List.of("x", "y", "z"), "");
        Map<String, List<Object>> r = SampleRequests.of(Set.of(ConditionFields.LABEL, ConditionFields.CAPTION),
                given, LABELED_CAPTIONED, () -> test(new AtomicInteger()), 5);
        assertEquals(List.of(2, 0, 2, 0, 2), r.get(ConditionFields.LABEL));
        assertEquals(List.of("x", "y", "z", "x", "y"), r.get(ConditionFields.CAPTION));
    }

    @Test
    void withoutPromptsTheTestSplitsCaptionsAreUsedInOrderOnce() {
        AtomicInteger loads = new AtomicInteger();
        Map<String, List<Object>> r = SampleRequests.of(Set.of(ConditionFields.CAPTION), NOTHING, LABELED_CAPTIONED,
                DefaultRunPipeline.once(() -> test(loads)), 7);
        assertEquals(List.of("item 0", "item 1", "item 2", "item 3", "item 4", "item 0", "item 1"),
                r.get(ConditionFields.CAPTION));
        assertEquals(1, loads.get());
    }

    @Test
    void referenceImagesComeFromTestIndicesOrAFolder(@TempDir Path folder) throws Exception {
        SampleSettings indices = new SampleSettings(3, 3, List.of(), List.of(), "test:4, 1");
        List<Object> images = SampleRequests.of(Set.of(ConditionFields.REFERENCE_IMAGE), indices, LABELED_CAPTIONED,
                () -> test(new AtomicInteger()), 3).get(ConditionFields.REFERENCE_IMAGE);
        assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f, 0.4f}, (float[]) images.get(0));
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, (float[]) images.get(1));
        assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f, 0.4f}, (float[]) images.get(2));

        BufferedImage white = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                white.setRGB(x, y, 0xffffff);
            }
        }
        ImageIO.write(white, "png", folder.resolve("b.png").toFile());
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        SampleSettings fromFolder = new SampleSettings(2, 2, List.of(), List.of(), folder.toString());
        List<Object> loaded = SampleRequests.of(Set.of(ConditionFields.REFERENCE_IMAGE), fromFolder, LABELED_CAPTIONED,
                () -> test(new AtomicInteger()), 2).get(ConditionFields.REFERENCE_IMAGE);
        // file-name order, scaled to 2x2 grey, [0, 255] to [−1, 1]
        assertArrayEquals(new float[] {-1, -1, -1, -1}, (float[]) loaded.get(0), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 1, 1}, (float[]) loaded.get(1), 1e-2f);
    }

    @Test
    void aFieldNeitherGivenNorProvidedIsAProblemNamingTheKey() {
        DatasetInfo unlabeled = new DatasetInfo(GREY, List.of(), Map.of());
        String problem = SampleRequests.problem(Set.of(ConditionFields.CAPTION), NOTHING, unlabeled);
        assertTrue(problem.startsWith("sample.prompts: ") && problem.contains("give sample.prompts"), problem);
        assertNull(SampleRequests.problem(Set.of(ConditionFields.CAPTION),
                new SampleSettings(1, 1, List.of(), List.of("a cat"), ""), unlabeled));
        String label = SampleRequests.problem(Set.of(ConditionFields.LABEL),
                new SampleSettings(1, 1, List.of(3), List.of(), ""), LABELED_CAPTIONED);
        assertTrue(label.startsWith("sample.labels: 3 is not a class"), label);
        UserError e = assertThrows(UserError.class, () -> SampleRequests.of(Set.of(ConditionFields.REFERENCE_IMAGE),
                new SampleSettings(1, 1, List.of(), List.of(), "test:9"), LABELED_CAPTIONED,
                () -> test(new AtomicInteger()), 1));
        assertTrue(e.getMessage().contains("outside the test split"), e.getMessage());
    }
}
