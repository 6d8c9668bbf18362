package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.Progress;
import io.difflab.api.TrainedNetworks;
import io.difflab.kit.model.StandaloneAssembly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interpolation between two images' CLIP embeddings: slerp against its closed form, and frames whose ends
 * are exactly the variations of the two images decoded alone with the same seed.
 */
class InterpolationTest {

    private static final Progress.Factory QUIET = (label, total, unit) -> new Progress() {
        @Override
        public void step(long n, String status) {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        Dalle2FamilyTest.load(work);
    }

    @Test
    void slerpFollowsTheGreatCircle() {
        float[] a = {1f, 0f};
        float[] b = {0f, 1f};
        assertArrayEquals(a, Slerp.between(a, b, 0), 1e-6f);
        assertArrayEquals(b, Slerp.between(a, b, 1), 1e-6f);
        float half = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {half, half}, Slerp.between(a, b, 0.5), 1e-6f, "(a + b)/√2, norm 1");
        float[] third = Slerp.between(a, b, 1 / 3.0);
        assertArrayEquals(new float[] {(float) Math.cos(Math.PI / 6), (float) Math.sin(Math.PI / 6)}, third, 1e-6f,
                "a third of the 90° arc");
        assertArrayEquals(new float[] {1.5f, 0f}, Slerp.between(new float[] {1f, 0f}, new float[] {2f, 0f}, 0.5),
                1e-6f, "parallel: the straight line");
    }

    @Test
    void theFramesRunFromOneImagesVariationToTheOthers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Model frames = model(true);
            Model single = model(false);
            TrainedNetworks trained = trained(frames, m);
            TrainedNetworks same = trained(single, m); // the same seeds: the same weights
            float[] first = Dalle2FamilyTest.train.images(m, new int[] {0}).toFloatArray();
            float[] second = Dalle2FamilyTest.train.images(m, new int[] {5}).toFloatArray();
            Generation g = frames.generate(request(m, trained, List.of(first, second, first, second), 4));
            assertEquals(4, g.images().getShape().get(0));
            assertEquals(0.0, g.facts().get("sample.prior_nfe"));
            float[] a = single.generate(request(m, same, List.of(first), 1)).images().toFloatArray();
            float[] b = single.generate(request(m, same, List.of(second), 1)).images().toFloatArray();
            assertArrayEquals(a, g.images().get("0:1").toFloatArray(), 1e-5f, "θ = 0: the first image's variation");
            assertArrayEquals(b, g.images().get("3:4").toFloatArray(), 1e-5f, "θ = 1: the second image's");
            assertTrue(Dalle2FamilyTest.maxDifference(a, g.images().get("1:2").toFloatArray()) > 1e-5,
                    "the frames between differ from the ends");
        }
    }

    private static Model model(boolean interpolate) {
        Map<String, Object> values = new LinkedHashMap<>(TinyUnclip.settings(Dalle2FamilyTest.clipRun));
        values.put("model.interpolate", interpolate);
        ModelContext c = StandaloneAssembly.context(new Dalle2Family(), Dalle2FamilyTest.train, values,
                TinyUnclip.textUnet());
        return new Dalle2Family().assemble(new ModelContext(c.sections(), c.dataset(),
                Set.of(ConditionFields.REFERENCE_IMAGE), c.registry(), c.trainingValues()));
    }

    private static TrainedNetworks trained(Model model, NDManager m) {
        Block prior = Dalle2FamilyTest.initialised(model.networks().get(0), m, 1);
        Block decoder = Dalle2FamilyTest.initialised(model.networks().get(1), m, 2);
        ParameterStore ps = new ParameterStore(m, false);
        return TrainedNetworks.of(Map.of(Dalle2Model.PRIOR, new TrainedNetworks.Trained(prior, ps), "estimator",
                new TrainedNetworks.Trained(decoder, ps)));
    }

    private static GenerationRequest request(NDManager m, TrainedNetworks trained, List<Object> references,
                                             int count) {
        return new GenerationRequest(m, trained, Map.of(ConditionFields.REFERENCE_IMAGE, references), count, 1, 11,
                QUIET);
    }
}
