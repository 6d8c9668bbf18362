package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttentionBlockTest {

    private static final int C = 4;
    private static final int T = 4; // 2x2 positions

    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore ps = new ParameterStore(manager, false);

    @AfterEach
    void close() {
        manager.close();
    }

    private AttentionBlock initialised(AttentionBlock.Builder builder) {
        AttentionBlock block = builder.build();
        UNetFixture.randomizeZeroInitialised(block);
        Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, C, 2, 2));
        return block;
    }

    @Test
    void twoHeadsMatchAttentionComputedByHand() {
        AttentionBlock block = initialised(AttentionBlock.builder().setChannels(C).optNumHeads(2).optNormGroups(2));
        float[] x = manager.randomNormal(new Shape(1, C, 2, 2)).toFloatArray();
        float[] out = block.forward(ps, manager.create(x, new Shape(1, C, 2, 2)), null, false).toFloatArray();

        float[] expected = new AttentionByHand(block, C, 2, 2).output(x, null, null);
        assertArrayEquals(expected, out, 1e-4f);
    }

    @Test
    void rescaleDividesTheResidualSumByRootTwo() {
        NDArray x = manager.randomNormal(new Shape(1, C, 2, 2));
        AttentionBlock.Builder builder = AttentionBlock.builder().setChannels(C).optNumHeads(2);
        float[] expected = initialised(builder).forward(ps, x, null, false).div(Math.sqrt(2)).toFloatArray();
        float[] rescaled = initialised(builder.optRescaleSkip(true)).forward(ps, x, null, false).toFloatArray();
        assertArrayEquals(expected, rescaled, 1e-5f);
    }

    @Test
    void headChannelsOverrideTheHeadCount() {
        assertEquals(4, AttentionBlock.builder().setChannels(16).optNumHeads(1).optNumHeadChannels(4).build()
                .getNumHeads());
        assertThrows(IllegalArgumentException.class,
                () -> AttentionBlock.builder().setChannels(16).optNumHeadChannels(5).build());
        assertThrows(IllegalArgumentException.class,
                () -> AttentionBlock.builder().setChannels(16).optNumHeads(3).build());
    }
}
