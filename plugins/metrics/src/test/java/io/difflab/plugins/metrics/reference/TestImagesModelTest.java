package io.difflab.plugins.metrics.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.plugins.metrics.SyntheticImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestImagesModelTest {

    private static final Progress.Factory SILENT = (label, total, unit) -> new Progress() {
        @Override
        public void step(long n, String status) {
        }

        @Override
        public void close() {
        }
    };

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    private Generation generate(TestImagesModel model, String field, List<Object> requested) {
        return model.generate(new GenerationRequest(manager, TrainedNetworks.NONE,
                field == null ? Map.of() : Map.of(field, requested), requested.size(), 4, 0, SILENT));
    }

    @Test
    void eachSampleIsTheNextTestImageOfItsClass() {
        ImageDataset test = SyntheticImages.create("synthetic/test", 12, 3, 1);
        TestImagesModel model = new TestImagesModel(ConditionFields.LABEL, () -> test);
        assertEquals(java.util.Set.of(ConditionFields.LABEL), model.sampleFields());
        assertTrue(model.networks().isEmpty());
        // labels 0, 1, 2 are items 0, 1, 2; the second 0 is item 3, ...; the fifth 0 cycles back to item 0
        List<Object> asked = List.of(2, 0, 0, 1, 0, 0, 0);
        NDArray images = generate(model, ConditionFields.LABEL, asked).images();
        int[] expected = {2, 0, 3, 1, 6, 9, 0};
        for (int s = 0; s < expected.length; s++) {
            assertArrayEquals(test.images(manager, new int[] {expected[s]}).toFloatArray(),
                    images.get(s + ":" + (s + 1)).toFloatArray(), "sample " + s);
        }
    }

    @Test
    void aValueNoTestImageHasIsRefused() {
        ImageDataset test = SyntheticImages.create("synthetic/test", 6, 2, 1);
        TestImagesModel model = new TestImagesModel(ConditionFields.LABEL, () -> test);
        UserError e = assertThrows(UserError.class, () -> generate(model, ConditionFields.LABEL, List.of(3)));
        assertTrue(e.getMessage().contains("'3'"), e.getMessage());
    }

    @Test
    void withoutAFieldTheTestImagesComeInOrder() {
        ImageDataset test = SyntheticImages.create("synthetic/test", 3, 2, 1);
        TestImagesModel model = new TestImagesModel(null, () -> test);
        Generation g = model.generate(new GenerationRequest(manager, TrainedNetworks.NONE, Map.of(), 4, 4, 0,
                SILENT));
        assertArrayEquals(test.images(manager, new int[] {0, 1, 2, 0}).toFloatArray(), g.images().toFloatArray());
    }
}
