package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.difflab.api.ImageShape;
import io.difflab.kit.engine.BatchShards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.difflab.kit.nn.UNetFixture.images;
import static io.difflab.kit.nn.UNetFixture.labels;
import static io.difflab.kit.nn.UNetFixture.store;
import static io.difflab.kit.nn.UNetFixture.timesteps;
import static io.difflab.kit.nn.UNetFixture.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A class-conditional U-Net's forward cut into shards ({@link BatchShards}) against the whole batch's. */
class ShardedUNetForwardTest {

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();

    @AfterEach
    void close() {
        System.clearProperty(BatchShards.PROPERTY);
        caller.close();
        params.close();
    }

    @Test
    void shardedOutputsEqualTheWholeBatchsAndBelongToTheCaller() {
        ImageShape shape = new ImageShape(1, 28, 28);
        int n = 7;
        UNet unet = tiny(shape).optNumClasses(10).build();
        UNetFixture.initialize(unet, params, shape, n);
        ParameterStore ps = store(params);
        NDList inputs = new NDList(images(caller, shape, n), timesteps(caller, n), labels(caller, n, 10));

        System.setProperty(BatchShards.PROPERTY, "1");
        NDArray whole = BatchShards.forward(unet, ps, inputs).singletonOrThrow();
        for (String k : new String[] {"2", "3"}) {
            System.setProperty(BatchShards.PROPERTY, k);
            NDArray sharded = BatchShards.forward(unet, ps, inputs).singletonOrThrow();
            assertEquals(whole.getShape(), sharded.getShape());
            assertEquals(caller, sharded.getManager());
            float scale = whole.abs().max().getFloat();
            float diff = whole.sub(sharded).abs().max().getFloat();
            // each row is computed by the same kernels on a smaller batch: equal up to rounding
            assertTrue(diff <= 1e-5f * scale, k + " shards differ by " + diff + " (largest output " + scale + ")");
            // and rows stay in order: shard 2's first row is row 4 of the whole (7 = 4 + 3 for k = 2)
            assertTrue(whole.get("4").sub(sharded.get("4")).abs().max().getFloat() <= 1e-5f * scale);
        }
    }
}
