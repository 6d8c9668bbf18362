package io.difflab.plugins.dalle2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionFields;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.UserError;
import io.difflab.kit.model.StandaloneAssembly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dalle2 family on real shapes-captions scenes with a CLIP run folder: two networks in order (the prior,
 * then the decoder), the decoder reading the caption and z_i (which its objective computes from the images),
 * clear errors for a missing CLIP or captions.
 */
class Dalle2FamilyTest {

    @TempDir
    static Path work;

    static ImageDataset train;
    static Path clipRun;

    @BeforeAll
    static void setUp() throws Exception {
        load(work);
    }

    /** The training split and a CLIP run folder under {@code folder}. */
    static void load(Path folder) throws Exception {
        train = TinyUnclip.shapes(folder.resolve("shapes"), Split.TRAIN, 64);
        clipRun = TinyUnclip.writeClipRun(folder.resolve("clip-run"), train);
    }

    static Model assemble(Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>(TinyUnclip.settings(clipRun));
        values.putAll(more);
        return StandaloneAssembly.assemble(new Dalle2Family(), train, values, TinyUnclip.textUnet());
    }

    @Test
    void trainsThePriorThenTheDecoderOnCaptions() {
        Model model = assemble(Map.of());
        List<TrainableNetwork> networks = model.networks();
        assertEquals(List.of(Dalle2Model.PRIOR, "estimator"), networks.stream().map(TrainableNetwork::name).toList());
        assertFalse(networks.get(0).primary());
        assertEquals(10, networks.get(0).steps());
        assertTrue(networks.get(1).primary());
        assertEquals(List.of(ConditionFields.CAPTION),
                networks.get(1).conditions().stream().map(c -> c.field()).toList(),
                "the host encodes the captions; z_i comes from the images");
        assertEquals(5, networks.get(1).inputShapes().length, "x_t, t, caption ids and mask, z_i");
        assertEquals(TinyUnclip.E, networks.get(1).inputShapes()[4].get(1));
        assertEquals(Set.of(ConditionFields.CAPTION), model.sampleFields());
        assertTrue(networks.get(1).objective() instanceof DecoderObjective);
    }

    @Test
    void decoderWithoutCaptionReadsTheImageEmbeddingAlone() {
        Model model = assemble(Map.of("model.decoder_caption", false, "estimator.name", "unet"));
        TrainableNetwork decoder = model.networks().get(1);
        assertTrue(decoder.conditions().isEmpty());
        assertEquals(3, decoder.inputShapes().length, "x_t, t, z_i");
    }

    @Test
    void aMissingClipOrCaptionsIsASpecError() {
        UserError noClip = assertThrows(UserError.class, () -> assemble(Map.of("model.clip",
                work.resolve("nowhere").toString())));
        assertTrue(noClip.getMessage().startsWith("model.clip: "), noClip.getMessage());
        DatasetInfo unlabeled = new DatasetInfo(new ImageShape(3, 32, 32), List.of(), Map.of());
        UserError noCaptions = assertThrows(UserError.class, () -> StandaloneAssembly.assemble(new Dalle2Family(),
                unlabeled, TinyUnclip.settings(clipRun), TinyUnclip.textUnet()));
        assertTrue(noCaptions.getMessage().contains("captions"), noCaptions.getMessage());
    }

    @Test
    void variationsSampleFromReferenceImages() {
        ModelContext c = StandaloneAssembly.context(new Dalle2Family(), train, TinyUnclip.settings(clipRun),
                TinyUnclip.textUnet());
        Model model = new Dalle2Family().assemble(new ModelContext(c.sections(), c.dataset(),
                Set.of(ConditionFields.REFERENCE_IMAGE), c.registry(), c.trainingValues()));
        assertEquals(Set.of(ConditionFields.REFERENCE_IMAGE), model.sampleFields());
    }

    /** Initialises {@code network}'s block and moves every weight off its initial value (zero-initialised outputs). */
    static Block initialised(TrainableNetwork network, NDManager m, long seed) {
        Block block = network.block();
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        block.initialize(m, DataType.FLOAT32, network.inputShapes());
        block.getParameters().values().forEach(p -> {
            NDArray w = p.getArray();
            w.addi(m.randomNormal(0, 0.05f, w.getShape(), DataType.FLOAT32));
        });
        return block;
    }

    @Test
    void theImageEmbeddingEntersTheDecoderAndItsDropoutGivesTheNullEmbedding() {
        Model model = assemble(Map.of());
        TrainableNetwork decoder = model.networks().get(1);
        DecoderObjective objective = (DecoderObjective) decoder.objective();
        FrozenClip clip = new FrozenClip(clipRun.toString(), StandaloneAssembly.registry());
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = initialised(decoder, m, 3);
            ParameterStore ps = new ParameterStore(m, false);
            int[] indices = {0, 1, 2, 3};
            NDArray images = train.images(m, indices);
            Condition captions = Condition.of(Map.of(Dalle2Model.CAPTION,
                    decoder.conditions().get(0).entry(train.fieldValues("caption", indices), m)));
            Condition condition = objective.withImageEmbedding(new io.difflab.api.TrainingBatch(m, images, captions,
                    new io.difflab.kit.sampling.SeededNoiseSource(1), io.difflab.api.TrainedNetworks.NONE));
            assertEquals(List.of(Dalle2Model.CAPTION, Dalle2Model.IMAGE_EMBEDDING), List.copyOf(condition.names()),
                    "in the estimator's order");
            NDArray zi = condition.get(Dalle2Model.IMAGE_EMBEDDING).array();
            assertArrayClose(clip.imageEmbedding(images).toFloatArray(), zi.toFloatArray());

            NDArray xt = m.randomNormal(images.getShape());
            NDArray t = m.create(new float[] {10, 40, 70, 99});
            float[] own = forward(block, ps, xt, t, condition);
            Condition other = condition.with(Dalle2Model.IMAGE_EMBEDDING, new Condition.Entry(
                    io.difflab.api.ConditionKind.EMBEDDING, new NDList(zi.flip(0))));
            float[] swapped = forward(block, ps, xt, t, other);
            assertTrue(maxDifference(own, swapped) > 1e-4, "z_i changes the decoder's output");

            Condition dropped = new io.difflab.kit.diffusion.ConditionDropout(Map.of(Dalle2Model.IMAGE_EMBEDDING, 1.0))
                    .apply(condition, new io.difflab.kit.sampling.SeededNoiseSource(2), m, new LinkedHashMap<>());
            assertEquals(0f, dropped.get(Dalle2Model.IMAGE_EMBEDDING).array().abs().sum().getFloat(), "∅ is zero");
            Condition zero = condition.with(Dalle2Model.IMAGE_EMBEDDING, new Condition.Entry(
                    io.difflab.api.ConditionKind.EMBEDDING, new NDList(m.zeros(zi.getShape()))));
            assertArrayClose(forward(block, ps, xt, t, zero), forward(block, ps, xt, t, dropped));
            assertTrue(maxDifference(own, forward(block, ps, xt, t, dropped)) > 1e-4);
        } finally {
            clip.on(Device.cpu()).close();
        }
    }

    private static float[] forward(Block block, ParameterStore ps, NDArray xt, NDArray t, Condition condition) {
        NDList inputs = new NDList(xt, t);
        inputs.addAll(condition.arrays());
        return block.forward(ps, inputs, false).head().toFloatArray();
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertArrayClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        assertTrue(maxDifference(expected, actual) < 1e-5, "arrays differ by " + maxDifference(expected, actual));
    }
}
