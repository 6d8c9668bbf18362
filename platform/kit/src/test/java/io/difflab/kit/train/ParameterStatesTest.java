package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.util.PairList;
import io.difflab.kit.engine.BufferChurn;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Restored arrays own their values: they survive the checkpoint's manager and a reuse of Java buffers. */
class ParameterStatesTest {

    @Test
    void restoredWeightsOutliveTheDecodedCheckpoint() throws Exception {
        float[] saved = {0.25f, -1.5f, 3f, 42f};
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] file;
            try (NDManager writer = m.newSubManager()) {
                NDArray w = writer.create(saved);
                w.setName("w.layer.weight");
                file = new NDList(w).encode();
            }
            NDArray target = m.zeros(new ai.djl.ndarray.types.Shape(4));
            PairList<String, NDArray> arrays = new PairList<>();
            arrays.add("layer.weight", target);
            for (int trial = 0; trial < 5; trial++) {
                try (NDManager scratch = m.newSubManager()) {
                    ParameterStates.restore(arrays, NDList.decode(scratch, new ByteArrayInputStream(file)), "w.");
                }
                BufferChurn.run(m);
                assertArrayEquals(saved, target.toFloatArray(), "trial " + trial);
            }
        }
    }
}
