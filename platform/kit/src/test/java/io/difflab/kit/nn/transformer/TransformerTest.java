package io.difflab.kit.nn.transformer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer trunk on the real engine: decoding step by step with the key/value cache gives the
 * features of the full causal pass; causal positions do not read later ones; a padding mask hides
 * keys; rows of a cache can be repeated to continue several samples from one prefix.
 */
class TransformerTest {

    private static final int WIDTH = 16;
    private static final int T = 7;

    private static Transformer transformer(NDManager manager, boolean causal) {
        Engine.getInstance().setRandomSeed(3);
        Transformer t = Transformer.builder().setWidth(WIDTH).setLayers(2).setHeads(4).optCausal(causal).build();
        t.initialize(manager, DataType.FLOAT32, new Shape(1, T, WIDTH));
        return t;
    }

    private static float maxDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void cachedDecodingGivesTheFeaturesOfTheFullCausalPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = transformer(m, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(3, T, WIDTH));
            NDArray full = t.forward(ps, x, null, null, false);
            try (KeyValueCache cache = t.newCache(m)) {
                // a prefix of 3 positions at once, then one position per step
                NDArray prefix = t.forward(ps, x.get(new NDIndex(":, :3")), null, cache, false);
                assertEquals(3, cache.length());
                assertTrue(maxDiff(prefix, full.get(new NDIndex(":, :3"))) < 1e-5f);
                for (int i = 3; i < T; i++) {
                    NDArray step = t.forward(ps, x.get(new NDIndex(":, {}:{}", i, i + 1)), null, cache, false);
                    assertEquals(i + 1, cache.length());
                    float diff = maxDiff(step, full.get(new NDIndex(":, {}:{}", i, i + 1)));
                    assertTrue(diff < 1e-5f, "position " + i + " differs by " + diff);
                }
            }
        }
    }

    @Test
    void aCausalPositionDoesNotReadLaterOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = transformer(m, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, T, WIDTH));
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, 4:"), m.randomNormal(new Shape(2, T - 4, WIDTH)));
            NDArray a = t.forward(ps, x, null, null, false);
            NDArray b = t.forward(ps, changed, null, null, false);
            assertTrue(maxDiff(a.get(new NDIndex(":, :4")), b.get(new NDIndex(":, :4"))) < 1e-6f);
            assertTrue(maxDiff(a.get(new NDIndex(":, 4:")), b.get(new NDIndex(":, 4:"))) > 1e-3f,
                    "later positions do read the changed ones");
        }
    }

    @Test
    void aPaddingMaskHidesKeysFromEveryQuery() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = transformer(m, false);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, T, WIDTH));
            NDArray mask = m.create(new int[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0}, new Shape(2, T));
            NDArray changed = x.duplicate();
            changed.set(new NDIndex("0, 5:"), m.randomNormal(new Shape(2, WIDTH)));
            changed.set(new NDIndex("1, 3:"), m.randomNormal(new Shape(4, WIDTH)));
            NDArray a = t.forward(ps, x, mask, null, false);
            NDArray b = t.forward(ps, changed, mask, null, false);
            assertTrue(maxDiff(a.get(new NDIndex("0, :5")), b.get(new NDIndex("0, :5"))) < 1e-6f);
            assertTrue(maxDiff(a.get(new NDIndex("1, :3")), b.get(new NDIndex("1, :3"))) < 1e-6f);
            // without the mask every position reads every other (bidirectional)
            NDArray c = t.forward(ps, changed, null, null, false);
            assertTrue(maxDiff(a.get(new NDIndex("0, :5")), c.get(new NDIndex("0, :5"))) > 1e-3f);
        }
    }

    @Test
    void repeatedCacheRowsContinueEachRowAsItsOwnCacheWould() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = transformer(m, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray prefix = m.randomNormal(new Shape(2, 3, WIDTH));
            NDArray next = m.randomNormal(new Shape(4, 1, WIDTH));
            try (KeyValueCache shared = t.newCache(m)) {
                t.forward(ps, prefix, null, shared, false);
                shared.selectRows(m.create(new long[] {0, 0, 1, 1}));
                NDArray continued = t.forward(ps, next, null, shared, false);
                NDArray rows = prefix.get(m.create(new long[] {0, 0, 1, 1}));
                NDArray full = t.forward(ps, rows.concat(next, 1), null, null, false);
                assertTrue(maxDiff(continued, full.get(new NDIndex(":, 3:"))) < 1e-5f);
            }
        }
    }

    @Test
    void gradientsReachEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = transformer(m, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, T, WIDTH));
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = t.forward(ps, x, null, null, true).square().mean();
                c.backward(loss);
            }
            t.getParameters().forEach(p -> {
                float norm = p.getValue().getArray().getGradient().abs().sum().getFloat();
                assertTrue(Float.isFinite(norm) && norm > 0, p.getKey() + " gets no gradient");
            });
        }
    }

    @Test
    void headsMustDivideTheWidth() {
        assertThrows(IllegalArgumentException.class,
                () -> Transformer.builder().setWidth(10).setLayers(1).setHeads(4).build());
    }
}
