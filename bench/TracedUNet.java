import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times a traced whole-network U-Net (bench/trace_unet.py) in DJL's libtorch without autograd: the
 * sampling forward of the "whole-network TorchScript" route (issue #20), beside bench/djl.sh's.
 * Usage (single-file program): java -Dai.djl.pytorch.num_threads=2 -cp "$(cat platform/host/target/bench.cp)"
 * bench/TracedUNet.java FILE.pt BATCH STEPS
 */
public final class TracedUNet {

    public static void main(String[] args) {
        int batch = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        try (NDManager m = NDManager.newBaseManager()) {
            PtSymbolBlock unet = JniUtils.loadModule((PtNDManager) m, Path.of(args[0]), true,
                    new String[0], new String[0], false);
            NDList input = new NDList(m.randomNormal(new Shape(batch, 1, 28, 28)), m.full(new Shape(batch), 500f));
            double[] ms = new double[steps];
            for (int i = -5; i < steps; i++) {
                long start = System.nanoTime();
                try (NDManager step = m.newSubManager()) {
                    unet.forward(null, input, false).attach(step);
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf("phase=sample-forward steps=%d median_ms=%.1f min_ms=%.1f%n", steps, ms[steps / 2], ms[0]);
        }
    }
}
