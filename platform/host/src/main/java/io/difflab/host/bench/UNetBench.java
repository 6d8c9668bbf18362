package io.difflab.host.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ImageShape;
import io.difflab.kit.engine.BatchShards;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.engine.ShardedStep;
import io.difflab.kit.nn.UNet;

import java.util.Arrays;

/**
 * Benchmark of the U-Net on the engine's device: the time of a training step (forward,
 * ε-MSE loss, backward, plain SGD update), or of a sampling step (inference forward plus an
 * ancestral update), and the process's peak resident memory. One phase per process, so the
 * peak belongs to that phase. bench/unet_torch.py measures the same in PyTorch eager.
 *
 * <p>Usage: {@code UNetBench --phase train|sample --batch 64 --steps 20 --base 64 ...} (keys in
 * {@link BenchOptions}); threads via {@code -Dai.djl.pytorch.num_threads}; {@code
 * -Dbench.profile=trace.json} writes a PyTorch profiler trace of the timed steps. Run it with
 * bench/djl.sh; see bench/README.md.
 */
public final class UNetBench {

    private static final float LEARNING_RATE = 1e-4f;

    private UNetBench() {
    }

    public static void main(String[] args) {
        BenchOptions o = BenchOptions.parse(args);
        Engine engine = Engine.getInstance();
        engine.setRandomSeed((int) o.seed());
        // the CPU by design: bench/ compares it with PyTorch eager on the same CPU threads
        try (NDManager base = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            UNet unet = o.build();
            int n = o.batch();
            unet.initialize(base, DataType.FLOAT32, o.image().batch(n), new Shape(n), new Shape(n));
            long params = 0;
            for (Pair<String, Parameter> p : unet.getParameters()) {
                params += p.getValue().getArray().size();
            }
            ParameterStore ps = new ParameterStore(base, false);
            double rssBefore = ProcessMemory.rssMiB();
            boolean train = o.phase().equals("train");
            double[] ms = new double[o.steps()];
            double[] cpuMs = new double[o.steps()];
            double[] threadCpuMs = new double[o.steps()];
            double[][] phaseCpuMs = new double[3][o.steps()];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            NDArray x = base.randomNormal(o.image().batch(n));
            String profile = System.getProperty("bench.profile");
            long faultsBefore = 0;
            long[] cpuBefore = {0, 0};
            int shards = train ? ShardedStep.shardsFor(unet, base) : 1; // once per run, as the Trainer decides
            for (int i = -o.warmup(); i < o.steps(); i++) {
                if (i == 0 && profile != null) {
                    JniUtils.startProfile(false, true, false);
                }
                if (i == 0) {
                    faultsBefore = ProcessMemory.minorFaults();
                    cpuBefore = ProcessMemory.cpuUserSystemMs();
                }
                long start = System.nanoTime();
                long cpuStart = os.getProcessCpuTime();
                long threadCpuStart = threads.getCurrentThreadCpuTime();
                double[] phases = null;
                if (train) {
                    phases = trainStep(unet, ps, base, o, os, shards);
                } else {
                    x = sampleStep(unet, ps, base, o, x, i);
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    cpuMs[i] = (os.getProcessCpuTime() - cpuStart) / 1e6;
                    threadCpuMs[i] = (threads.getCurrentThreadCpuTime() - threadCpuStart) / 1e6;
                    for (int k = 0; phases != null && k < phases.length; k++) {
                        phaseCpuMs[k][i] = phases[k];
                    }
                }
            }
            long faults = (ProcessMemory.minorFaults() - faultsBefore) / o.steps();
            long[] cpuAfter = ProcessMemory.cpuUserSystemMs();
            if (profile != null) {
                JniUtils.stopProfile(profile);
            }
            Arrays.sort(ms);
            Arrays.sort(cpuMs);
            Arrays.sort(threadCpuMs);
            for (double[] phase : phaseCpuMs) {
                Arrays.sort(phase);
            }
            System.out.printf("engine=%s %s threads=%s interop=%s grad_mode_outside_steps=%s malloc=%s%n",
                    engine.getEngineName(), engine.getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), JniUtils.isGradMode(),
                    System.getenv().getOrDefault("LD_PRELOAD", "").contains("jemalloc") ? "jemalloc"
                            : System.getenv("MALLOC_MMAP_THRESHOLD_") != null ? "glibc-tuned" : "glibc");
            System.out.println("config: " + o.describe() + ", parameters " + params);
            System.out.printf("phase=%s steps=%d median_ms=%.1f mean_ms=%.1f min_ms=%.1f cpu_median_ms=%.1f main_thread_cpu_median_ms=%.1f rss_before_MiB=%.0f"
                            + " peak_rss_MiB=%.0f minor_faults_per_step=%d user_ms_per_step=%d sys_ms_per_step=%d%n", o.phase(), o.steps(), ms[ms.length / 2],
                    Arrays.stream(ms).average().orElse(0), ms[0], cpuMs[cpuMs.length / 2],
                    threadCpuMs[threadCpuMs.length / 2], rssBefore, ProcessMemory.peakMiB(), faults,
                    (cpuAfter[0] - cpuBefore[0]) / o.steps(), (cpuAfter[1] - cpuBefore[1]) / o.steps());
            if (train) {
                System.out.printf("phases forward_cpu_ms=%.1f backward_cpu_ms=%.1f update_cpu_ms=%.1f%n",
                        phaseCpuMs[0][o.steps() / 2], phaseCpuMs[1][o.steps() / 2], phaseCpuMs[2][o.steps() / 2]);
            }
        }
    }

    /**
     * x_t from random "images", the ε-prediction MSE (Ho et al. 2020, eq. 14), backward, w ← w − η·∇w;
     * returns the process CPU ms of forward (with the loss), backward and update.
     */
    private static double[] trainStep(UNet unet, ParameterStore ps, NDManager base, BenchOptions o,
                                      com.sun.management.OperatingSystemMXBean os, int shards) {
        double[] phases = new double[3];
        int n = o.batch();
        ImageShape image = o.image();
        try (NDManager step = base.newSubManager()) {
            NDArray x0 = step.randomUniform(-1, 1, image.batch(n));
            NDArray noise = step.randomNormal(image.batch(n));
            NDArray alphaBar = step.randomUniform(0, 1, new Shape(n, 1, 1, 1));
            NDArray xt = x0.mul(alphaBar.sqrt()).add(noise.mul(alphaBar.neg().add(1f).sqrt()));
            NDArray t = step.randomInteger(0, 1000, new Shape(n), DataType.INT32).toType(DataType.FLOAT32, false);
            NDArray labels = o.classes() > 0
                    ? step.randomInteger(0, o.classes() + 1, new Shape(n), DataType.INT32) : null;
            long mark = os.getProcessCpuTime();
            // as the Trainer runs a step: the passes sharded over the batch on a multi-core CPU (ShardedStep)
            try (ShardedStep passes = ShardedStep.of(unet, ps, shards);
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = passes.forward(labels == null ? new NDList(xt, t) : new NDList(xt, t, labels))
                        .singletonOrThrow();
                NDArray eps = o.learnSigma() ? out.get(new NDIndex(":, :{}", image.channels())) : out;
                NDArray loss = eps.sub(noise).square().mean();
                phases[0] = (os.getProcessCpuTime() - mark) / 1e6;
                mark = os.getProcessCpuTime();
                collector.backward(loss);
                passes.backward();
                phases[1] = (os.getProcessCpuTime() - mark) / 1e6;
                mark = os.getProcessCpuTime();
            }
            // as the Python bench's w.sub_(w.grad, alpha=η); w.grad.zero_(): in place, with one engine-owned
            // η for all parameters (a Java number costs a direct buffer and a scalar tensor per call)
            NDArray lr = Scalars.of(xt, LEARNING_RATE);
            for (Pair<String, Parameter> p : unet.getParameters()) {
                NDArray w = p.getValue().getArray();
                try (NDArray grad = w.getGradient()) {
                    w.subi(grad.muli(lr));
                }
                JniUtils.zeroGrad((PtNDArray) w);
            }
            phases[2] = (os.getProcessCpuTime() - mark) / 1e6;
        }
        return phases;
    }

    /** ε from the network in inference mode, then an ancestral update x ← c1·(x − c2·ε) + σ·z. */
    private static NDArray sampleStep(UNet unet, ParameterStore ps, NDManager base, BenchOptions o, NDArray x,
                                      int i) {
        int n = o.batch();
        NDArray next;
        try (NDManager step = base.newSubManager()) {
            x.tempAttach(step);
            NDArray t = step.full(new Shape(n), 999f - Math.max(i, 0) % 1000);
            NDArray labels = o.classes() > 0 ? step.zeros(new Shape(n), DataType.INT32) : null;
            // as EstimatorDenoiser calls it: sharded over the batch on a multi-core CPU (BatchShards)
            NDArray out = BatchShards.forward(unet, ps, labels == null ? new NDList(x, t) : new NDList(x, t, labels))
                    .singletonOrThrow();
            NDArray eps = o.learnSigma() ? out.get(new NDIndex(":, :{}", o.image().channels())) : out;
            next = x.sub(eps.mul(0.01f)).mul(1.001f).add(step.randomNormal(x.getShape()).mul(0.01f));
            next.attach(base);
        }
        x.close();
        return next;
    }
}
