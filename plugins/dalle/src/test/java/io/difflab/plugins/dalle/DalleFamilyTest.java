package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionFields;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DALL-E family assembles from its model section alone on real shapes-captions scenes: two
 * networks in order (the dVAE, then the transformer on its tokens), a vocabulary learnt from the
 * training captions, clear errors for settings that do not fit; its objectives on a real batch.
 */
class DalleFamilyTest {

    @TempDir
    static Path cache;

    private static ImageDataset train;

    @BeforeAll
    static void load() {
        train = TinyDalle.shapes(cache, Split.TRAIN, 256);
    }

    private static Model assemble(Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>(TinyDalle.settings());
        values.putAll(more);
        return StandaloneAssembly.assemble(new DalleFamily(), train, values);
    }

    @Test
    void aDalleIsADvaeThenATransformerAndNoDiffusionModel() {
        DalleFamily family = new DalleFamily();
        assertEquals(Set.of(), family.sections(), "no schedule, estimator, sampler or guidance");
        assertTrue(family.samplingOptions().containsAll(Set.of("top_k", "top_p", "candidates", "sampling_temperature")));
        Model model = assemble(Map.of());
        List<TrainableNetwork> networks = model.networks();
        assertEquals(List.of("dvae", "transformer"), networks.stream().map(TrainableNetwork::name).toList());
        assertEquals(20, networks.get(0).steps(), "model.dvae_steps");
        assertTrue(!networks.get(0).primary() && networks.get(1).primary(), "train.steps counts the transformer");
        assertEquals(Set.of(ConditionFields.CAPTION), model.sampleFields());
        assertEquals(List.of("caption"), networks.get(1).conditions().stream().map(c -> c.name()).toList());
        DalleTransformer transformer = (DalleTransformer) networks.get(1).block();
        assertEquals(16, transformer.textLength());
        assertEquals(16, transformer.imageTokens(), "32x32 images downsampled 8 times: 4x4 tokens");
    }

    @Test
    void theWordVocabularyIsLearntFromTheTrainingCaptions() {
        Model model = assemble(Map.of());
        TokenEncoder captions = (TokenEncoder) model.networks().get(1).conditions().get(0);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList encoded = captions.encode(List.of(train.caption(0)), m);
            int[] ids = encoded.get(0).toIntArray();
            for (int id : ids) {
                assertTrue(id != 1, "no <unk> in a training caption: " + train.caption(0));
            }
            assertEquals(captions.vocabulary().textIds(train.caption(0)).length + 2, encoded.get(1).sum().getLong(),
                    "start, the caption's words, end: " + train.caption(0));
        }
    }

    @Test
    void settingsThatDoNotFitAreUserErrorsNamingTheKey() {
        UserError noCaptions = assertThrows(UserError.class, () -> StandaloneAssembly.assemble(new DalleFamily(),
                new DatasetInfo(new ImageShape(3, 32, 32), List.of(), Map.of()), TinyDalle.settings()));
        assertTrue(noCaptions.getMessage().contains("captions"), noCaptions.getMessage());
        UserError rerank = assertThrows(UserError.class, () -> assemble(Map.of("model.candidates", 4)));
        assertTrue(rerank.getMessage().contains("model.candidates") && rerank.getMessage().contains("model.rerank_clip"),
                rerank.getMessage());
        UserError bpe = assertThrows(UserError.class, () -> assemble(Map.of("model.tokenizer", "clip-bpe")));
        assertTrue(bpe.getMessage().contains("model.tokenizer_vocabulary"), bpe.getMessage());
        UserError grid = assertThrows(UserError.class, () -> assemble(Map.of("model.dvae_downsamples", 6)));
        assertTrue(grid.getMessage().contains("model") && grid.getMessage().contains("32x32"), grid.getMessage());
        UserError heads = assertThrows(UserError.class, () -> assemble(Map.of("model.heads", 3)));
        assertTrue(heads.getMessage().contains("heads"), heads.getMessage());
    }

    @Test
    void theDvaeObjectiveLogsItsTermsAtTheBatchStep() {
        Model model = assemble(Map.of());
        TrainableNetwork dvae = model.networks().get(0);
        try (NDManager m = NDManager.newBaseManager()) {
            dvae.block().initialize(m, DataType.FLOAT32, dvae.inputShapes());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = train.images(m, IntStream.range(0, 8).toArray());
            Map<String, NDArray> extra = new HashMap<>();
            TrainingBatch batch = new TrainingBatch(m, images, Condition.none(), new SeededNoiseSource(1),
                    TrainedNetworks.NONE, 5);
            NDArray loss = dvae.objective().loss(batch, in -> dvae.block().forward(ps, in, true), extra);
            assertTrue(Float.isFinite(loss.getFloat()));
            // steps 0..20 anneal τ from 1 to 1/16, β rises to 1 over 10 steps
            assertEquals(new Anneal(1, 1.0 / 16, 20).at(5), extra.get("train.temperature").getFloat(), 1e-6);
            assertEquals(new Anneal(0, 1, 10).at(5), extra.get("train.kl_weight").getFloat(), 1e-6);
            float perplexity = extra.get("train.perplexity").getFloat();
            assertTrue(perplexity >= 1 && perplexity <= 16, "between 1 and K codes in use: " + perplexity);
            float kl = extra.get("train.kl").getFloat();
            assertTrue(kl >= 0 && kl <= Math.log(16) + 1e-4, "0 <= KL <= log K: " + kl);
            // the loss is the per-dimension ELBO of the logged terms: mse/(2σ²) + β·KL·positions/dimensions
            double expected = extra.get("train.recon_mse").getFloat() / (2 * 0.01)
                    + new Anneal(0, 1, 10).at(5) * kl * 16 / (3 * 32 * 32);
            assertEquals(expected, loss.getFloat(), 1e-4 * expected);
        }
    }

    @Test
    void theTransformerObjectiveWeighsImageTokensSevenTimesTheText() {
        Model model = assemble(Map.of());
        TrainableNetwork dvae = model.networks().get(0);
        TrainableNetwork transformer = model.networks().get(1);
        try (NDManager m = NDManager.newBaseManager()) {
            dvae.block().initialize(m, DataType.FLOAT32, dvae.inputShapes());
            transformer.block().initialize(m, DataType.FLOAT32, transformer.inputShapes());
            // a zero head predicts every token uniformly: L_text = log(V + L_t), L_img = log K exactly
            transformer.block().getParameters().forEach(p -> {
                if (p.getKey().endsWith("head_weight") || p.getKey().endsWith("head_bias")) {
                    p.getValue().getArray().muli(0);
                }
            });
            ParameterStore ps = new ParameterStore(m, false);
            TrainedNetworks trained = TrainedNetworks.of(Map.of("dvae", new TrainedNetworks.Trained(dvae.block(),
                    new ParameterStore(m, false))));
            int[] indices = IntStream.range(0, 8).toArray();
            Condition condition = Conditions.of(transformer.conditions(), train, indices, m);
            TrainingBatch batch = new TrainingBatch(m, train.images(m, indices), condition, new SeededNoiseSource(2),
                    trained, 0);
            Map<String, NDArray> extra = new HashMap<>();
            NDArray loss = transformer.objective().loss(batch, in -> transformer.block().forward(ps, in, true), extra);
            float text = extra.get("train.loss_text").getFloat();
            float image = extra.get("train.loss_image").getFloat();
            assertEquals(Math.log(((DalleTransformer) transformer.block()).textVocabulary()), text, 1e-5);
            assertEquals(Math.log(16), image, 1e-5);
            assertEquals((Math.log(((DalleTransformer) transformer.block()).textVocabulary()) + 7 * Math.log(16)) / 8,
                    loss.getFloat(), 1e-5);
        }
    }
}
