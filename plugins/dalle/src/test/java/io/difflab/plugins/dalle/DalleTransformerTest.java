package io.difflab.plugins.dalle;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.NoiseSource;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.nn.transformer.KeyValueCache;
import io.difflab.kit.nn.transformer.Transformer;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DALL-E's transformer on the real engine: the cached decoding gives the logits of the full pass,
 * so sampling with the cache draws exactly the tokens that sampling by recomputing the whole prefix
 * at every step draws from the same noise; per-position padding tokens replace masked caption ids.
 */
class DalleTransformerTest {

    private static final List<String> CAPTIONS = List.of("a red circle", "two blue squares left of a star",
            "three green triangles");
    private static final WordVocabulary VOCABULARY = WordVocabulary.build(CAPTIONS, 1, 0, 8);
    private static final int K = 16;
    private static final int GRID_H = 2;
    private static final int GRID_W = 3;

    private static DalleTransformer transformer(NDManager m) {
        Engine.getInstance().setRandomSeed(5);
        Transformer trunk = Transformer.builder().setWidth(16).setLayers(2).setHeads(2).build();
        DalleTransformer t = new DalleTransformer(VOCABULARY.size(), VOCABULARY.contextLength(), K, GRID_H, GRID_W,
                trunk);
        t.initialize(m, DataType.FLOAT32, t.inputShapes());
        return t;
    }

    @Test
    void cachedDecodingGivesTheLogitsOfTheFullPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            DalleTransformer t = transformer(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDList text = VOCABULARY.encode(m, CAPTIONS);
            int tokens = GRID_H * GRID_W;
            NDArray image = m.randomInteger(0, K, new ai.djl.ndarray.types.Shape(3, tokens), DataType.INT64);
            NDArray full = t.logits(ps, text.get(0), text.get(1), image, false);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 8 + tokens - 1, VOCABULARY.size() + 8 + K), full.getShape());
            int offset = t.textVocabulary();
            try (KeyValueCache cache = t.newCache(m)) {
                NDArray first = t.prefill(ps, text.get(0), text.get(1), cache);
                assertClose(full.get(new NDIndex(":, 7, {}:", offset)), first, "image token 0");
                for (int j = 0; j + 1 < tokens; j++) {
                    NDArray next = t.next(ps, image.get(new NDIndex(":, {}:{}", j, j + 1)), j, cache);
                    assertClose(full.get(new NDIndex(":, {}, {}:", 8 + j, offset)), next, "image token " + (j + 1));
                }
            }
        }
    }

    @Test
    void samplingWithTheCacheDrawsTheTokensOfSamplingWithoutIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            DalleTransformer t = transformer(m);
            ParameterStore ps = new ParameterStore(m, false);
            TokenSampling sampling = new TokenSampling(1.0, 8, 0.95);
            int candidates = 2;
            DalleGenerator generator = new DalleGenerator(t, TokenEncoder.captions(VOCABULARY), sampling, candidates,
                    new CandidateScorer() {
                        public NDArray score(NDArray images, List<String> captions) {
                            throw new AssertionError("drawing tokens scores nothing");
                        }

                        public String describe() {
                            return "none";
                        }
                    });
            List<Object> texts = new ArrayList<>(CAPTIONS);
            int[] steps = {0};
            NDArray cached = generator.drawTokens(m, ps, texts, new SeededNoiseSource(9), () -> steps[0]++);
            assertEquals(t.imageTokens(), steps[0], "one progress step per token");
            NDArray uncached = drawWithoutCache(m, t, ps, sampling, candidates, new SeededNoiseSource(9));
            assertArrayEquals(uncached.toLongArray(), cached.toLongArray());
            assertEquals(new ai.djl.ndarray.types.Shape(CAPTIONS.size() * candidates, t.imageTokens()),
                    cached.getShape());
            // candidates of one caption are different draws
            assertTrue(cached.get("0").sub(cached.get("1")).abs().sum().getLong() > 0);
        }
    }

    /** The reference: the whole sequence through the transformer again for every token. */
    private static NDArray drawWithoutCache(NDManager m, DalleTransformer t, ParameterStore ps, TokenSampling sampling,
                                            int candidates, NoiseSource noise) {
        List<String> repeated = new ArrayList<>();
        for (String c : CAPTIONS) {
            for (int i = 0; i < candidates; i++) {
                repeated.add(c);
            }
        }
        NDList text = VOCABULARY.encode(m, repeated);
        int rows = repeated.size();
        int tokens = t.imageTokens();
        NDArray image = m.zeros(new ai.djl.ndarray.types.Shape(rows, tokens), DataType.INT64);
        for (int i = 0; i < tokens; i++) {
            NDArray logits = t.logits(ps, text.get(0), text.get(1), image, false)
                    .get(new NDIndex(":, {}, {}:", 7 + i, t.textVocabulary()));
            NDArray token = sampling.sample(logits, noise.uniform(m, (long) rows * K));
            image.set(new NDIndex(":, {}", i), token);
        }
        return image;
    }

    @Test
    void maskedCaptionPositionsHoldTheirOwnPaddingToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            DalleTransformer t = transformer(m);
            NDList text = VOCABULARY.encode(m, List.of("a red circle"));
            long[] padded = t.paddedText(text.get(0), text.get(1)).toLongArray();
            int v = VOCABULARY.size();
            // <start> a red circle <end>, then positions 5, 6, 7 padded with V + position
            assertEquals(VOCABULARY.startId(), padded[0]);
            assertEquals(VOCABULARY.endId(), padded[4]);
            assertArrayEquals(new long[] {v + 5, v + 6, v + 7}, java.util.Arrays.copyOfRange(padded, 5, 8));
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        float diff = expected.sub(actual).abs().max().getFloat();
        assertTrue(diff < 1e-4f, what + " differs by " + diff);
    }
}
