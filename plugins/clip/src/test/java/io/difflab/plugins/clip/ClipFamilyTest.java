package io.difflab.plugins.clip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipFamilyTest {

    private static final Map<String, Object> TINY = Map.of("image_width", 16, "image_layers", 1, "image_heads", 2,
            "text_width", 16, "text_layers", 1, "text_heads", 2, "embedding_size", 8, "patch_size", 8);

    @TempDir
    static Path cache;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void assemblesOneClipNetworkThatGeneratesNothing() throws Exception {
        Config dataset = ShapesFixture.dataset(cache, 64, 16);
        Model model = new ClipFamily().assemble(ShapesFixture.context(dataset, TINY));
        assertFalse(model.generates());
        assertTrue(model.sampleFields().isEmpty());
        assertEquals(1, model.networks().size());
        TrainableNetwork clip = model.networks().get(0);
        assertTrue(clip.primary());
        assertEquals("clip", clip.name());
        ClipArchitecture a = ((ClipNetwork) clip.block()).architecture();
        assertEquals(32, a.imageResolution());
        assertEquals(16, a.contextLength());
        assertFalse(a.noiseAware());
        assertEquals(java.util.List.of(ClipArchitecture.FILE, "vocabulary.txt"), java.util.List.copyOf(clip.files().keySet()));
        Path written = cache.resolve("clip.json");
        clip.files().get(ClipArchitecture.FILE).write(written);
        assertEquals(a, ClipReference.readArchitecture(written));
        assertThrows(UnsupportedOperationException.class, () -> model.generate(null));
    }

    @Test
    void aTrainingStepOnRealCaptionsGivesAFiniteLossNearLogN() {
        Config dataset = ShapesFixture.dataset(cache, 64, 16);
        for (boolean noised : new boolean[] {false, true}) {
            Map<String, Object> values = new HashMap<>(TINY);
            values.put("noise_aware", noised);
            values.put("timesteps", 50);
            Model model = new ClipFamily().assemble(ShapesFixture.context(dataset, values));
            TrainableNetwork clip = model.networks().get(0);
            Engine.getInstance().setRandomSeed(1);
            clip.block().initialize(manager, DataType.FLOAT32, clip.inputShapes());
            ImageDataset train = new ShapesCaptionsProvider().load(dataset, Split.TRAIN);
            int[] items = java.util.stream.IntStream.range(0, 16).toArray();
            try (NDManager step = manager.newSubManager()) {
                Condition condition = Conditions.of(clip.conditions(), train, items, step);
                TrainingBatch batch = new TrainingBatch(step, train.images(step, items), condition,
                        new SeededNoiseSource(3), TrainedNetworks.NONE);
                Map<String, NDArray> extra = new HashMap<>();
                ParameterStore ps = new ParameterStore(step, false);
                NDList[] out = new NDList[1];
                NDArray loss = clip.objective().loss(batch, in -> out[0] = clip.block().forward(ps, in, true), extra);
                // the loss of the network's own features and temperature
                NDArray logits = ContrastiveLoss.logits(out[0].get(0), out[0].get(1), out[0].get(2));
                assertEquals(ContrastiveLoss.loss(logits).getFloat(), loss.getFloat(), 1e-5, "noise-aware " + noised);
                assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0);
                assertEquals(16, out[0].get(0).getShape().get(0));
                assertEquals(1 / 0.07, extra.get("train.logit_scale").getFloat(), 1e-3);
                float accuracy = extra.get("train.accuracy").getFloat();
                assertTrue(accuracy >= 0 && accuracy <= 1);
                NDList tokens = condition.get("caption").arrays();
                assertEquals(2, tokens.size());
            }
        }
    }

    @Test
    void settingsThatDoNotFitAreRefusedNamingTheKey() {
        Config dataset = ShapesFixture.dataset(cache, 64, 16);
        Map<String, Object> badPatch = new HashMap<>(TINY);
        badPatch.put("patch_size", 5);
        UserError e = assertThrows(UserError.class, () -> new ClipFamily().assemble(ShapesFixture.context(dataset,
                badPatch)));
        assertTrue(e.getMessage().contains("patch_size 5"), e.getMessage());
        Map<String, Object> badHeads = new HashMap<>(TINY);
        badHeads.put("text_heads", 3);
        UserError heads = assertThrows(UserError.class, () -> new ClipFamily().assemble(ShapesFixture.context(dataset,
                badHeads)));
        assertTrue(heads.getMessage().startsWith("model:"), heads.getMessage());
    }
}
