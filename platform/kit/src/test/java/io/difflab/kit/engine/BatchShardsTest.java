package io.difflab.kit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where {@link BatchShards} cuts a batch, when it shards, and the workers' PyTorch threads. */
class BatchShardsTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        System.clearProperty(BatchShards.PROPERTY);
        manager.close();
    }

    @Test
    void boundsCutNearlyEqualShardsLargerFirst() {
        assertArrayEquals(new long[] {0, 32, 64}, BatchShards.bounds(64, 2));
        assertArrayEquals(new long[] {0, 3, 5, 7}, BatchShards.bounds(7, 3));
        assertArrayEquals(new long[] {0, 1, 2}, BatchShards.bounds(2, 2));
    }

    @Test
    void shardsOnlyWithoutGradModeAndWithTwoRowsPerShard() {
        System.setProperty(BatchShards.PROPERTY, "2");
        NDArray x = manager.zeros(new Shape(8, 1));
        assertEquals(2, BatchShards.shardsFor(x, 8));
        assertEquals(1, BatchShards.shardsFor(x, 3), "fewer than two rows per shard");
        try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
            assertEquals(1, BatchShards.shardsFor(x, 8), "a recorded graph stays one forward");
        }
        System.setProperty(BatchShards.PROPERTY, "1");
        assertEquals(1, BatchShards.shardsFor(x, 8));
    }

    @Test
    void aNetworkWhoseRowsMixRunsWhole() {
        System.setProperty(BatchShards.PROPERTY, "2");
        NDArray x = manager.arange(8f).reshape(8, 1);
        // a sum over the batch: cut into shards it would be two partial sums
        NDArray total = BatchShards.forward(new LambdaBlock(in -> new NDList(in.head().sum())), null, new NDList(x))
                .singletonOrThrow();
        assertEquals(28f, total.getFloat());
    }

    @Test
    void workersRunOnePyTorchThreadEachWithoutGradModeAndTheCallerKeepsItsCount() throws Exception {
        int before = JniUtils.getNumThreads();
        assertEquals(List.of(1, 1), BatchShards.workerThreadCounts(2));
        // PyTorch starts threads in grad mode: an inference shard would record a graph
        assertEquals(List.of(false, false), BatchShards.runAll(List.<java.util.concurrent.Callable<Boolean>>of(
                JniUtils::isGradMode, JniUtils::isGradMode)));
        assertEquals(before, JniUtils.getNumThreads());
        // a thread that meets PyTorch only now gets the process default, not the workers' 1
        int[] fresh = new int[1];
        Thread t = new Thread(() -> fresh[0] = JniUtils.getNumThreads());
        t.start();
        t.join();
        assertEquals(before, fresh[0]);
    }
}
