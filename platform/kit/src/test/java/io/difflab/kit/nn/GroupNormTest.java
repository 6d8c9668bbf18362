package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupNormTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** (N=2, C=4, H=2, W=3) with uneven values, so groups differ in mean and variance. */
    private float[] input() {
        float[] x = new float[2 * 4 * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.sin(1.7 * i) * (1 + i % 5) + 0.3 * i);
        }
        return x;
    }

    @Test
    void normalisesEachGroupThenAppliesPerChannelAffine() {
        float[] x = input();
        float[] gamma = {1.5f, -2f, 0.5f, 3f};
        float[] beta = {0.1f, -0.2f, 0.3f, 4f};
        float eps = 1e-5f;
        NDArray out = GroupNorm.groupNorm(manager.create(x, new Shape(2, 4, 2, 3)), 2,
                manager.create(gamma), manager.create(beta), eps);

        // by hand: group g of sample n holds channels 2g, 2g+1, i.e. 12 contiguous values
        float[] expected = new float[x.length];
        for (int start = 0; start < x.length; start += 12) {
            double mean = 0;
            for (int i = start; i < start + 12; i++) {
                mean += x[i];
            }
            mean /= 12;
            double var = 0;
            for (int i = start; i < start + 12; i++) {
                var += (x[i] - mean) * (x[i] - mean);
            }
            var /= 12; // biased, as group norm defines it
            for (int i = start; i < start + 12; i++) {
                int channel = (i / 6) % 4;
                expected[i] = (float) ((x[i] - mean) / Math.sqrt(var + eps) * gamma[channel] + beta[channel]);
            }
        }
        assertEquals(new Shape(2, 4, 2, 3), out.getShape());
        assertArrayEquals(expected, out.toFloatArray(), 1e-4f);
    }

    @Test
    void withoutAffineEachGroupHasMeanZeroAndVarianceOne() {
        NDArray out = GroupNorm.groupNorm(manager.create(input(), new Shape(2, 4, 2, 3)), 4, null, null, 1e-5f);
        float[] y = out.toFloatArray();
        for (int start = 0; start < y.length; start += 6) {
            double mean = 0;
            double sq = 0;
            for (int i = start; i < start + 6; i++) {
                mean += y[i];
                sq += y[i] * y[i];
            }
            assertEquals(0, mean / 6, 1e-5);
            assertEquals(1, sq / 6, 1e-3);
        }
    }

    @Test
    void blockLearnsIdentityAffineAtInitialisation() {
        GroupNorm norm = GroupNorm.builder().setNumChannels(4).optNumGroups(2).build();
        norm.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 4, 2, 3));
        NDArray x = manager.create(input(), new Shape(2, 4, 2, 3));
        NDArray viaBlock = norm.forward(new ai.djl.training.ParameterStore(manager, false), x, false);
        NDArray plain = GroupNorm.groupNorm(x, 2, null, null, 1e-5f);
        assertArrayEquals(plain.toFloatArray(), viaBlock.toFloatArray(), 1e-6f);
    }

    @Test
    void groupsMustDivideChannels() {
        assertThrows(IllegalArgumentException.class,
                () -> GroupNorm.builder().setNumChannels(6).optNumGroups(4).build());
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.builder().build());
    }

    @Test
    void groupCountIsTheLargestDivisorUpToTheBoundWithTwoChannelsEach() {
        assertEquals(32, GroupNorm.groupsFor(128, 32));
        assertEquals(32, GroupNorm.groupsFor(64, 32));
        assertEquals(16, GroupNorm.groupsFor(32, 32));
        assertEquals(8, GroupNorm.groupsFor(16, 32));
        assertEquals(24, GroupNorm.groupsFor(48, 32));
        assertEquals(1, GroupNorm.groupsFor(7, 4));
    }
}
