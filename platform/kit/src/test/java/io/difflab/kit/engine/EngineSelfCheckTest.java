package io.difflab.kit.engine;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine, as the build configures it (ONEDNN_MAX_CPU_ISA from the pom), computes right gradients. */
class EngineSelfCheckTest {

    @Test
    void float32ConvolutionGradientsMatchFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            double err = EngineSelfCheck.worstRelativeError(m);
            assertTrue(err < EngineSelfCheck.TOLERANCE, "relative error " + err);
            assertDoesNotThrow(() -> EngineSelfCheck.verify(m));
        }
    }
}
