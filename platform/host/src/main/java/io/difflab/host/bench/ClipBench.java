package io.difflab.host.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.train.TrainingSession;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Benchmark of a CLIP training step on the engine's device, as the clip family trains: both
 * encoders forward on a batch of images and captions, the symmetric contrastive loss (Radford et
 * al. 2021, Fig. 3), backward, global-norm clipping, the trainer's Adam step and weight average
 * (the kit's {@link TrainingSession}). Random images and token rows of random lengths stand in for
 * data, so only the network is timed. bench/clip_torch.py measures the same in PyTorch eager.
 *
 * <p>Usage: {@code ClipBench --batch 128 --steps 20 --warmup 3 --size 32 --patch 4 --image-width 64
 * --image-layers 3 --text-width 64 --text-layers 2 --heads 4 --embed 64 --vocab 40 --context 16};
 * threads via {@code -Dai.djl.pytorch.num_threads}, on the CPU (as the PyTorch eager side). Run it with
 * bench/clip.sh.
 */
public final class ClipBench {

    private ClipBench() {
    }

    public static void main(String[] args) {
        Map<String, Integer> o = options(args);
        int n = o.get("batch");
        int steps = o.get("steps");
        ClipArchitecture a = new ClipArchitecture(3, o.get("size"), o.get("patch"), o.get("image-width"),
                o.get("image-layers"), o.get("heads"), 0, "", o.get("vocab"), o.get("context"), o.get("text-width"),
                o.get("text-layers"), o.get("heads"), true, TextTransformer.Pooling.END_TOKEN, o.get("embed"), "word",
                "vocabulary.txt");
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(o.get("seed"));
        try (NDManager base = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ClipNetwork network = new ClipNetwork(a);
            network.initialize(base, DataType.FLOAT32, network.inputShapes(n));
            long params = network.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            TrainingSession session = new TrainingSession(network, base);
            ParameterStore ps = session.trainingStore();
            double rssBefore = ProcessMemory.rssMiB();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            double[] ms = new double[steps];
            double[] cpuMs = new double[steps];
            long[] cpuBefore = {0, 0};
            for (int i = -o.get("warmup"); i < steps; i++) {
                if (i == 0) {
                    cpuBefore = ProcessMemory.cpuUserSystemMs();
                }
                long start = System.nanoTime();
                long cpuStart = os.getProcessCpuTime();
                trainStep(network, session, ps, base, a, n);
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    cpuMs[i] = (os.getProcessCpuTime() - cpuStart) / 1e6;
                }
            }
            long[] cpuAfter = ProcessMemory.cpuUserSystemMs();
            Arrays.sort(ms);
            Arrays.sort(cpuMs);
            System.out.printf("engine=%s %s threads=%s malloc=%s%n", engine.getEngineName(), engine.getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    System.getenv().getOrDefault("LD_PRELOAD", "").contains("jemalloc") ? "jemalloc"
                            : System.getenv("MALLOC_MMAP_THRESHOLD_") != null ? "glibc-tuned" : "glibc");
            System.out.println("config: " + a + ", batch " + n + ", parameters " + params);
            System.out.printf("phase=train steps=%d median_ms=%.1f mean_ms=%.1f min_ms=%.1f cpu_median_ms=%.1f"
                            + " rss_before_MiB=%.0f peak_rss_MiB=%.0f user_ms_per_step=%d sys_ms_per_step=%d%n", steps,
                    ms[steps / 2], Arrays.stream(ms).average().orElse(0), ms[0], cpuMs[steps / 2], rssBefore,
                    ProcessMemory.peakMiB(), (cpuAfter[0] - cpuBefore[0]) / steps,
                    (cpuAfter[1] - cpuBefore[1]) / steps);
        }
    }

    /** One step: forward, contrastive loss, backward, clip at norm 1, Adam (lr 1e-3), EMA (0.99). */
    private static void trainStep(ClipNetwork network, TrainingSession session, ParameterStore ps, NDManager base,
                                  ClipArchitecture a, int n) {
        try (NDManager step = base.newSubManager()) {
            NDArray images = step.randomUniform(-1, 1, new Shape(n, 3, a.imageResolution(), a.imageResolution()));
            int length = a.contextLength();
            int[] ids = new int[n * length];
            int[] mask = new int[n * length];
            java.util.Random random = new java.util.Random(n);
            for (int r = 0; r < n; r++) {
                int used = 3 + random.nextInt(length - 2);
                for (int j = 0; j < used; j++) {
                    ids[r * length + j] = j == 0 ? 2 : j == used - 1 ? 3 : 4 + random.nextInt(a.vocabularySize() - 4);
                    mask[r * length + j] = 1;
                }
            }
            NDList inputs = new NDList(images, step.create(ids, new Shape(n, length)),
                    step.create(mask, new Shape(n, length)));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = network.forward(ps, inputs, true);
                NDArray x = out.get(0).div(out.get(0).norm(new int[] {1}, true));
                NDArray y = out.get(1).div(out.get(1).norm(new int[] {1}, true));
                NDArray logits = x.matMul(y.transpose()).mul(out.get(2).exp());
                NDArray eye = step.eye(n);
                NDArray loss = logits.logSoftmax(1).mul(eye).sum().add(logits.logSoftmax(0).mul(eye).sum())
                        .div(step.create(-2f * n));
                collector.backward(loss);
            }
            double norm = session.gradientNorm();
            session.optimizer().step(1e-3, norm > 1 ? 1 / norm : 1);
            session.ema().update(0.99);
        }
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> m = new HashMap<>(Map.ofEntries(Map.entry("batch", 128), Map.entry("steps", 20),
                Map.entry("warmup", 3), Map.entry("size", 32), Map.entry("patch", 4), Map.entry("image-width", 64),
                Map.entry("image-layers", 3), Map.entry("text-width", 64), Map.entry("text-layers", 2),
                Map.entry("heads", 4), Map.entry("embed", 64), Map.entry("vocab", 40), Map.entry("context", 16),
                Map.entry("seed", 0)));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!m.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (known: " + m.keySet() + ")");
            }
            m.put(key, Integer.parseInt(args[i + 1]));
        }
        return m;
    }
}
