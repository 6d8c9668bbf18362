package io.difflab.plugins.dalle2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.StandaloneAssembly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation through the chain with untrained (perturbed) weights: caption → prior → decoder gives one
 * finite image per prompt, deterministic for a seed, and the prior's z_i reaches the decoder (other prior
 * weights, other images); variations decode each reference image's own z_i without the prior.
 */
class Dalle2GenerationTest {

    private static final Progress.Factory QUIET = (label, total, unit) -> new Progress() {
        @Override
        public void step(long n, String status) {
        }

        @Override
        public void close() {
        }
    };

    private static final List<Object> PROMPTS = List.of("a red circle", "two blue squares", "a green triangle");

    @TempDir
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        Dalle2FamilyTest.load(work);
    }

    @Test
    void captionsGoThroughThePriorIntoTheDecoder() {
        Model model = Dalle2FamilyTest.assemble(Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            Block prior = Dalle2FamilyTest.initialised(model.networks().get(0), m, 1);
            Block decoder = Dalle2FamilyTest.initialised(model.networks().get(1), m, 2);
            ParameterStore ps = new ParameterStore(m, false);
            TrainedNetworks trained = TrainedNetworks.of(Map.of(Dalle2Model.PRIOR, new TrainedNetworks.Trained(prior,
                    ps), "estimator", new TrainedNetworks.Trained(decoder, ps)));
            Map<String, List<Object>> requested = Map.of(ConditionFields.CAPTION, PROMPTS);
            Generation first = model.generate(request(m, trained, requested, 7));
            assertEquals(List.of(3L, 3L, 32L, 32L), List.of(first.images().getShape().get(0),
                    first.images().getShape().get(1), first.images().getShape().get(2), first.images().getShape().get(3)));
            float[] a = first.images().toFloatArray();
            for (float v : a) {
                assertTrue(Float.isFinite(v));
            }
            assertEquals(5.0 * 2, first.facts().get("sample.prior_nfe"), "5 prior steps for each of 2 candidates");
            assertEquals(4.0, first.facts().get("sample.steps"));
            assertArrayEquals(a, model.generate(request(m, trained, requested, 7)).images().toFloatArray(),
                    "one seed, one result");

            int[] perturbed = {0};
            prior.getParameters().stream().filter(p -> p.getKey().endsWith("head_weight"))
                    .peek(p -> perturbed[0]++).forEach(p -> p.getValue().getArray().addi(1f));
            assertEquals(1, perturbed[0], "the prior's head weight");
            float[] otherPrior = model.generate(request(m, trained, requested, 7)).images().toFloatArray();
            assertTrue(Dalle2FamilyTest.maxDifference(a, otherPrior) > 1e-4, "the prior's z_i reaches the decoder");
        }
    }

    @Test
    void theDecoderCanReadTheTextEmbeddingOrNothingInsteadOfThePrior() {
        FrozenClip clip = new FrozenClip(Dalle2FamilyTest.clipRun.toString(), StandaloneAssembly.registry());
        try (NDManager m = NDManager.newBaseManager()) {
            TokenEncoder captions = TokenEncoder.captions(clip.vocabulary());
            DecoderEmbeddings embeddings = new DecoderEmbeddings(clip, captions, null, null,
                    Dalle2FamilyTest.train.shape());
            GenerationRequest request = request(m, TrainedNetworks.NONE, Map.of(ConditionFields.CAPTION, PROMPTS), 1);
            List<Object> text = embeddings.of(DecoderEmbeddings.TEXT, request, PROMPTS);
            NDList tokens = captions.encode(PROMPTS, m);
            float[] zt = clip.textEmbedding(tokens.get(0), tokens.get(1)).toFloatArray();
            for (int i = 0; i < PROMPTS.size(); i++) {
                float[] row = (float[]) text.get(i);
                assertArrayEquals(java.util.Arrays.copyOfRange(zt, i * TinyUnclip.E, (i + 1) * TinyUnclip.E), row, 1e-6f);
            }
            assertEquals(Collections.nCopies(3, null), embeddings.of(DecoderEmbeddings.NONE, request, PROMPTS));
            UserError untrained = assertThrows(UserError.class,
                    () -> embeddings.of(DecoderEmbeddings.PRIOR, request, PROMPTS));
            assertTrue(untrained.getMessage().contains("prior"), untrained.getMessage());
        } finally {
            clip.on(Device.cpu()).close();
        }

        Model model = Dalle2FamilyTest.assemble(Map.of("model.decoder_embedding", "text"));
        try (NDManager m = NDManager.newBaseManager()) {
            Block prior = Dalle2FamilyTest.initialised(model.networks().get(0), m, 1);
            Block decoder = Dalle2FamilyTest.initialised(model.networks().get(1), m, 2);
            ParameterStore ps = new ParameterStore(m, false);
            TrainedNetworks trained = TrainedNetworks.of(Map.of(Dalle2Model.PRIOR, new TrainedNetworks.Trained(prior,
                    ps), "estimator", new TrainedNetworks.Trained(decoder, ps)));
            Generation g = model.generate(request(m, trained, Map.of(ConditionFields.CAPTION, PROMPTS), 7));
            assertEquals(0.0, g.facts().get("sample.prior_nfe"), "z_t goes to the decoder without the prior");
        }
    }

    @Test
    void variationsDecodeEachReferenceImagesOwnEmbedding() {
        ModelContext c = StandaloneAssembly.context(new Dalle2Family(), Dalle2FamilyTest.train,
                TinyUnclip.settings(Dalle2FamilyTest.clipRun), TinyUnclip.textUnet());
        Model model = new Dalle2Family().assemble(new ModelContext(c.sections(), c.dataset(),
                Set.of(ConditionFields.REFERENCE_IMAGE), c.registry(), c.trainingValues()));
        try (NDManager m = NDManager.newBaseManager()) {
            Block prior = Dalle2FamilyTest.initialised(model.networks().get(0), m, 1);
            Block decoder = Dalle2FamilyTest.initialised(model.networks().get(1), m, 2);
            ParameterStore ps = new ParameterStore(m, false);
            TrainedNetworks trained = TrainedNetworks.of(Map.of(Dalle2Model.PRIOR, new TrainedNetworks.Trained(prior,
                    ps), "estimator", new TrainedNetworks.Trained(decoder, ps)));
            List<Object> references = new ArrayList<>();
            for (int i : new int[] {0, 1}) {
                references.add(Dalle2FamilyTest.train.images(m, new int[] {i}).toFloatArray());
            }
            List<Object> same = List.of(references.get(0), references.get(0));
            Generation g = model.generate(request(m, trained, Map.of(ConditionFields.REFERENCE_IMAGE, references), 3));
            Generation h = model.generate(request(m, trained, Map.of(ConditionFields.REFERENCE_IMAGE, same), 3));
            assertEquals(0.0, g.facts().get("sample.prior_nfe"), "variations skip the prior");
            NDArray differentSecond = g.images().get("1:2");
            NDArray sameSecond = h.images().get("1:2");
            assertArrayEquals(g.images().get("0:1").toFloatArray(), h.images().get("0:1").toFloatArray(), 1e-6f);
            assertTrue(Dalle2FamilyTest.maxDifference(differentSecond.toFloatArray(), sameSecond.toFloatArray()) > 1e-4,
                    "another reference image, another z_i, another variation");
        }
    }

    private static GenerationRequest request(NDManager m, TrainedNetworks trained, Map<String, List<Object>> requested,
                                             long seed) {
        int count = requested.values().iterator().next().size();
        return new GenerationRequest(m, trained, new LinkedHashMap<>(requested), count, 2, seed, QUIET);
    }
}
