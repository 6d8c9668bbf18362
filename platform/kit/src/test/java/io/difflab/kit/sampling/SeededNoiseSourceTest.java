package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeededNoiseSourceTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void sameSeedSameArraysThroughAnyManager() {
        try (NDManager a = manager.newSubManager(); NDManager b = NDManager.newBaseManager(manager.getDevice())) {
            SeededNoiseSource first = new SeededNoiseSource(42);
            SeededNoiseSource second = new SeededNoiseSource(42);
            assertArrayEquals(first.normal(a, new Shape(3, 4)).toFloatArray(), second.normal(b, new Shape(3, 4)).toFloatArray());
            assertArrayEquals(first.randint(a, 10, 20).toIntArray(), second.randint(b, 10, 20).toIntArray());
            assertArrayEquals(first.uniform(a, 7).toFloatArray(), second.uniform(b, 7).toFloatArray());
            float[] other = new SeededNoiseSource(43).normal(a, new Shape(3, 4)).toFloatArray();
            assertFalse(java.util.Arrays.equals(other, new SeededNoiseSource(42).normal(a, new Shape(3, 4)).toFloatArray()));
        }
    }

    @Test
    void successiveCallsDiffer() {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(1);
            NDArray x = noise.normal(m, new Shape(100));
            NDArray y = noise.normal(m, new Shape(100));
            assertTrue(x.sub(y).abs().max().getFloat() > 0.1f);
        }
    }

    @Test
    void restoringAStateReplaysWhatFollowed() {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(5);
            noise.normal(m, new Shape(10));
            noise.randint(m, 1000, 5);
            byte[] state = noise.state();
            float[] next = noise.normal(m, new Shape(8)).toFloatArray();
            int[] nextInts = noise.randint(m, 1000, 6).toIntArray();

            SeededNoiseSource restored = new SeededNoiseSource(0);
            restored.restore(state);
            assertEquals(5, restored.seed());
            assertArrayEquals(next, restored.normal(m, new Shape(8)).toFloatArray());
            assertArrayEquals(nextInts, restored.randint(m, 1000, 6).toIntArray());
            assertThrows(IllegalArgumentException.class, () -> restored.restore(new byte[3]));
        }
    }

    @Test
    void valuesHaveTheirDistributionsTypesAndShapes() {
        try (NDManager m = manager.newSubManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(9);
            int n = 20000;
            NDArray normal = noise.normal(m, new Shape(n / 100, 100));
            assertEquals(new Shape(n / 100, 100), normal.getShape());
            assertEquals(DataType.FLOAT32, normal.getDataType());
            assertEquals(manager.getDevice(), normal.getDevice());
            assertEquals(0.0, normal.mean().getFloat(), 4 / Math.sqrt(n));
            assertEquals(1.0, normal.square().mean().getFloat(), 4 * Math.sqrt(2.0 / n));

            NDArray ints = noise.randint(m, 7, n);
            assertEquals(DataType.INT32, ints.getDataType());
            assertEquals(0, ints.min().getInt());
            assertEquals(6, ints.max().getInt());
            assertEquals(3.0, ints.toType(DataType.FLOAT32, false).mean().getFloat(), 4 * 2 / Math.sqrt(n));

            NDArray uniform = noise.uniform(m, n);
            assertTrue(uniform.min().getFloat() >= 0f && uniform.max().getFloat() < 1f);
            assertEquals(0.5, uniform.mean().getFloat(), 4 * 0.29 / Math.sqrt(n));
        }
    }
}
