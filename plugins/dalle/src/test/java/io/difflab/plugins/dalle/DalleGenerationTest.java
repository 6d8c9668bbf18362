package io.difflab.plugins.dalle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.Progress;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.StepSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Generation through the assembled model: captions to tokens to images, N candidates per caption
 * reranked by a CLIP (the tiny TorchScript fixture, random weights, named by path as a spec names it), each kept image being the
 * candidate with the highest CLIP score as an independent recomputation finds it; the cost facts.
 */
class DalleGenerationTest {

    private static final Progress.Factory QUIET = (label, total, unit) -> new Progress() {
        public void step(long n, String status) {
        }

        public void close() {
        }
    };

    @TempDir
    Path cache;

    @Test
    void rerankedGenerationKeepsTheCandidateWithTheBestClipScore() {
        ImageDataset train = TinyDalle.shapes(cache, Split.TRAIN, 128);
        Map<String, Object> values = new LinkedHashMap<>(TinyDalle.settings());
        values.put("model.candidates", 3);
        values.put("model.top_k", 4);
        Path clipFile = TinyDalle.torchScriptClip(cache);
        values.put("model.rerank_clip", clipFile.toString());
        Model model = StandaloneAssembly.assemble(new DalleFamily(), train, values);
        List<Object> captions = List.of(train.caption(0), train.caption(1), train.caption(2), train.caption(3),
                train.caption(0));
        long seed = 3;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            TrainedNetworks trained = initialised(model, m);
            Generation generation = model.generate(new GenerationRequest(m, trained,
                    Map.of(ConditionFields.CAPTION, captions), captions.size(), 6, seed, QUIET));
            assertEquals(new Shape(5, 3, 32, 32), generation.images().getShape());
            assertEquals(16.0, generation.facts().get("sample.steps"), "4x4 image tokens");
            assertEquals(48.0, generation.facts().get("sample.nfe"), "3 candidates of 16 forward passes each");
            assertEquals(3.0, generation.facts().get("sample.candidates"));
            assertEquals(0.0, generation.facts().get("sample.grad_evals"));

            NDArray expected = rerankedIndependently(m, model, trained, captions, seed, clipFile);
            assertEquals(0f, expected.sub(generation.images()).abs().max().getFloat(), 1e-5f);
        }
    }

    @Test
    void referenceImagesAreShownBesideTheirReconstructionsThroughTheMostLikelyCodes() {
        ImageDataset train = TinyDalle.shapes(cache, Split.TRAIN, 16);
        ModelContext standalone = StandaloneAssembly.context(new DalleFamily(), train, TinyDalle.settings());
        ModelContext context = new ModelContext(standalone.sections(), standalone.dataset(),
                java.util.Set.of(ConditionFields.REFERENCE_IMAGE), standalone.registry(), standalone.trainingValues());
        Model model = new DalleFamily().assemble(context);
        assertEquals(java.util.Set.of(ConditionFields.REFERENCE_IMAGE), model.sampleFields());
        List<Object> references = List.of(image(train, 0), image(train, 1), image(train, 2));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            TrainedNetworks trained = initialised(model, m);
            Generation generation = model.generate(new GenerationRequest(m, trained,
                    Map.of(ConditionFields.REFERENCE_IMAGE, references), 3, 2, 0, QUIET));
            assertEquals(new Shape(6, 3, 32, 32), generation.images().getShape(), "reference, reconstruction pairs");

            DiscreteVae dvae = (DiscreteVae) model.networks().get(0).block();
            ParameterStore weights = trained.get("dvae").averaged();
            NDArray x = m.create(new float[][] {(float[]) references.get(0), (float[]) references.get(1),
                    (float[]) references.get(2)}).reshape(3, 3, 32, 32);
            NDArray tokens = dvae.encode(weights, x, false).argMax(1).reshape(3, 16);
            NDArray expected = dvae.decodeTokens(weights, tokens).clip(-1f, 1f);
            for (int i = 0; i < 3; i++) {
                assertEquals(0f, generation.images().get(2 * i).sub(x.get(i)).abs().max().getFloat(), 0f);
                assertEquals(0f, generation.images().get(2 * i + 1).sub(expected.get(i)).abs().max().getFloat(), 1e-5f);
            }
            double mse = expected.sub(x).square().mean().getFloat();
            assertEquals(mse, generation.facts().get("sample.reconstruction_mse"), 1e-6 + 1e-4 * mse);
            long distinct = java.util.Arrays.stream(tokens.toType(DataType.INT64, false).toLongArray()).distinct()
                    .count();
            assertEquals((double) distinct, generation.facts().get("sample.codes_used"));
        }
    }

    /** The model's networks with seeded random weights, as if trained. */
    private static TrainedNetworks initialised(Model model, NDManager m) {
        Map<String, TrainedNetworks.Trained> networks = new LinkedHashMap<>();
        for (TrainableNetwork n : model.networks()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(n.name().hashCode());
            n.block().initialize(m, DataType.FLOAT32, n.inputShapes());
            networks.put(n.name(), new TrainedNetworks.Trained(n.block(), new ParameterStore(m, false)));
        }
        return TrainedNetworks.of(networks);
    }

    private static float[] image(ImageDataset data, int index) {
        float[] values = new float[data.shape().size()];
        data.copyImage(index, values, 0);
        return values;
    }

    @Test
    void reconstructionsAndPromptsInOneRunAreRefused() {
        ImageDataset train = TinyDalle.shapes(cache, Split.TRAIN, 16);
        ModelContext standalone = StandaloneAssembly.context(new DalleFamily(), train, TinyDalle.settings());
        ModelContext both = new ModelContext(standalone.sections(), standalone.dataset(),
                java.util.Set.of(ConditionFields.REFERENCE_IMAGE, ConditionFields.CAPTION), standalone.registry(),
                standalone.trainingValues());
        io.difflab.api.UserError e = assertThrows(io.difflab.api.UserError.class,
                () -> new DalleFamily().assemble(both));
        assertEquals(true, e.getMessage().contains("not both"), e.getMessage());
    }

    /** Draws the same candidates (6 rows a batch: 2 captions of 3), scores them with a fresh CLIP, keeps the best. */
    private static NDArray rerankedIndependently(NDManager m, Model model, TrainedNetworks trained,
                                                 List<Object> captions, long seed, Path clipFile) {
        DalleTransformer transformer = (DalleTransformer) model.networks().get(1).block();
        TokenEncoder tokens = (TokenEncoder) model.networks().get(1).conditions().get(0);
        DiscreteVae dvae = (DiscreteVae) model.networks().get(0).block();
        try (ClipScorer scorer = new ClipScorer(clipFile.toString(), StandaloneAssembly.registry())) {
            NDList kept = new NDList();
            for (int b = 0; b * 2 < captions.size(); b++) {
                List<Object> batch = captions.subList(2 * b, Math.min(captions.size(), 2 * b + 2));
                List<String> texts = new ArrayList<>();
                batch.forEach(c -> {
                    for (int i = 0; i < 3; i++) {
                        texts.add(c.toString());
                    }
                });
                // three candidates per caption = the caption repeated, drawn from the batch's noise stream
                DalleGenerator candidates = new DalleGenerator(transformer, tokens, new TokenSampling(1, 4, 1), 3,
                        scorer);
                NDArray drawn = candidates.drawTokens(m, trained.get("transformer").averaged(), batch,
                        new SeededNoiseSource(StepSeeds.mix(seed, DalleGenerator.SAMPLING_STREAM + b)), () -> { });
                NDArray images = dvae.decodeTokens(trained.get("dvae").averaged(), drawn);
                float[] scores = scorer.score(images, texts).toFloatArray();
                for (int c = 0; c < batch.size(); c++) {
                    int best = 0;
                    for (int i = 1; i < 3; i++) {
                        best = scores[3 * c + i] > scores[3 * c + best] ? i : best;
                    }
                    kept.add(images.get(new NDIndex("{}:{}", 3 * c + best, 3 * c + best + 1)));
                }
            }
            return ai.djl.ndarray.NDArrays.concat(kept);
        }
    }
}
