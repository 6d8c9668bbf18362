package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResBlockTest {

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    private ResBlock initialised(ResBlock.Builder builder, Shape x, long seed) {
        ResBlock block = builder.build();
        UNetFixture.randomizeZeroInitialised(block);
        Engine.getInstance().setRandomSeed((int) seed);
        block.initialize(manager, DataType.FLOAT32, x, new Shape(x.get(0), 16));
        return block;
    }

    private NDArray embeddings() {
        return manager.randomNormal(new Shape(2, 16));
    }

    @ParameterizedTest(name = "scale-shift norm {0}")
    @ValueSource(booleans = {false, true})
    void outputDependsOnTheTimestepEmbedding(boolean scaleShift) {
        Shape shape = new Shape(2, 8, 5, 5);
        ResBlock block = initialised(ResBlock.builder().setChannels(8).setEmbedChannels(16)
                .optScaleShiftNorm(scaleShift), shape, 1);
        NDArray x = manager.randomNormal(new Shape(1, 8, 5, 5)).repeat(0, 2); // two equal images
        NDArray out = block.forward(ps, x, embeddings(), false);
        assertTrue(out.get(0).sub(out.get(1)).abs().max().getFloat() > 1e-3f);
    }

    @Test
    void rescaleDividesTheResidualSumByRootTwo() {
        Shape shape = new Shape(2, 8, 5, 5);
        ResBlock.Builder builder = ResBlock.builder().setChannels(8).optOutChannels(12).setEmbedChannels(16);
        ResBlock plain = initialised(builder, shape, 7);
        ResBlock rescaled = initialised(builder.optRescaleSkip(true), shape, 7);
        NDArray x = manager.randomNormal(shape);
        NDArray emb = embeddings();
        float[] expected = plain.forward(ps, x, emb, false).div(Math.sqrt(2)).toFloatArray();
        assertArrayEquals(expected, rescaled.forward(ps, x, emb, false).toFloatArray(), 1e-5f);
    }

    @Test
    void resamplingInsideTheBlockHandlesOddSizes() {
        ResBlock down = initialised(ResBlock.builder().setChannels(8).setEmbedChannels(16).optDown(),
                new Shape(2, 8, 7, 7), 3);
        NDArray h = down.forward(ps, manager.randomNormal(new Shape(2, 8, 7, 7)), embeddings(), false);
        assertEquals(new Shape(2, 8, 4, 4), h.getShape());
        ResBlock up = initialised(ResBlock.builder().setChannels(8).optOutChannels(4).setEmbedChannels(16)
                .optUp(7, 7), new Shape(2, 8, 4, 4), 3);
        assertEquals(new Shape(2, 4, 7, 7), up.forward(ps, h, embeddings(), false).getShape());
    }

    @Test
    void averagePoolingAveragesTheCellsAPartialWindowCovers() {
        NDArray x = manager.arange(9f).reshape(1, 1, 3, 3);
        // windows {0,1,3,4}, {2,5}, {6,7}, {8}
        assertArrayEquals(new float[] {2f, 3.5f, 6.5f, 8f}, Downsample.avgPool(x).toFloatArray());
        // nearest back to 3x3 repeats each cell over the positions it came from
        assertArrayEquals(new float[] {2f, 2f, 3.5f, 2f, 2f, 3.5f, 6.5f, 6.5f, 8f},
                Upsample.nearest(Downsample.avgPool(x), 3, 3).toFloatArray());
    }
}
