package io.difflab.kit.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Data parallelism over CPU cores for inference forwards: the batch is cut into k shards along its
 * first axis and each shard's forward runs on a thread of its own with one PyTorch intra-op
 * thread, instead of one forward whose every op is split over k OpenMP threads.
 *
 * <p>Why: a sampling step of the small U-Nets here is ~600 ops on small tensors (batch 64 of 28×28
 * maps with 16-64 channels). Split across OpenMP threads, each op wakes the passive second thread and
 * waits for it; measured in bench/RESULTS.md, a 2-thread forward costs as much CPU as a 1-thread one
 * but takes ~70 % of its wall time, not 50 %. Independent shards need no synchronisation until the
 * outputs are joined. PyTorch eager does the same only if its user writes it (inter-op
 * parallelism); here every sampler gets it through {@code EstimatorDenoiser}.
 *
 * <p>When: for a {@link RowIndependent} network (the U-Nets), on the CPU, with grad mode off (a guidance gradient through the network, or training,
 * stays one forward), when every input has the batch on its first axis and the batch has at least
 * two rows per shard. k is the caller's PyTorch thread count ({@code ai.djl.pytorch.num_threads},
 * by default the machine's cores), or {@code -Ddifflab.shards=N} ({@code 1} turns sharding off).
 * Each row's result does not depend on k up to the kernels' rounding: convolution kernels may block a
 * batch of 32 differently from one of 64, so samples agree with the unsharded ones to ~1e-6, not
 * bit for bit; for a given k they are reproducible.
 *
 * <p>The workers are daemon threads made once per process; each sets its own OpenMP thread count to
 * 1 after PyTorch's lazy per-thread initialisation, and the caller's thread count (PyTorch keeps it
 * per thread and as the default for new threads) is restored after.
 */
public final class BatchShards {

    /** The system property that fixes the number of shards ({@code 1}: off). */
    public static final String PROPERTY = "difflab.shards";

    private static final Object LOCK = new Object();
    private static ExecutorService pool;
    private static int poolSize;

    private BatchShards() {
    }

    /** The shards an inference forward of a batch of {@code rows} gets here (1: unsharded). */
    public static int shardsFor(NDArray x, long rows) {
        if (JniUtils.isGradMode()) {
            return 1;
        }
        int k = configuredShards(x.getDevice());
        return rows >= 2L * k ? k : 1;
    }

    /** Whether inputs can be cut into k shards: every input has the batch first, at least two rows per shard. */
    static boolean splittable(NDList inputs, int k) {
        long rows = inputs.head().getShape().get(0);
        return rows >= 2L * k && batchFirst(inputs, rows);
    }

    /**
     * k on this thread and device: {@code -Ddifflab.shards=N}, else the thread's PyTorch thread
     * count, at most the machine's cores; 1 off the CPU or on a shard worker.
     */
    static int configuredShards(Device device) {
        if (!Device.Type.CPU.equals(device.getDeviceType()) || Worker.CURRENT.get() != null) {
            return 1;
        }
        String fixed = System.getProperty(PROPERTY, "auto").trim();
        int k;
        try {
            k = "auto".equals(fixed) ? JniUtils.getNumThreads() : Integer.parseInt(fixed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be auto or a number of shards, not '" + fixed + "'");
        }
        return Math.max(1, Math.min(k, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * {@code block.forward(parameters, inputs, false)}, sharded over the batch when {@link #shardsFor}
     * says so. The outputs belong to the manager of the first input, as the block's own would.
     */
    public static NDList forward(Block block, ParameterStore parameters, NDList inputs) {
        NDArray first = inputs.head();
        long rows = first.getShape().get(0);
        int k = block instanceof RowIndependent ? shardsFor(first, rows) : 1;
        if (k == 1 || !splittable(inputs, k)) {
            return block.forward(parameters, inputs, false);
        }
        List<NDManager> managers = new ArrayList<>(k);
        try {
            List<Callable<NDList>> tasks = new ArrayList<>(k);
            for (NDList slice : slices(inputs, k, managers)) {
                tasks.add(() -> block.forward(parameters, slice, false));
            }
            return join(runAll(tasks), first.getManager());
        } finally {
            managers.forEach(NDManager::close);
        }
    }

    /** Whether every input has {@code rows} on its first axis. */
    private static boolean batchFirst(NDList inputs, long rows) {
        return inputs.stream().allMatch(a -> a.getShape().dimension() > 0 && a.getShape().get(0) == rows);
    }

    /** The inputs cut into k row ranges, shard s's views in a new sub-manager of the caller's (added to managers). */
    static List<NDList> slices(NDList inputs, int k, List<NDManager> managers) {
        NDManager caller = inputs.head().getManager();
        long[] bounds = bounds(inputs.head().getShape().get(0), k);
        List<NDList> slices = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            NDManager shard = caller.newSubManager();
            managers.add(shard);
            NDList slice = new NDList(inputs.size());
            for (NDArray a : inputs) {
                NDArray part = a.get("{}:{}", bounds[s], bounds[s + 1]);
                part.attach(shard);
                slice.add(part);
            }
            slices.add(slice);
        }
        return slices;
    }

    /** Output o of every shard, concatenated along the batch in shard order, in the caller's manager. */
    static NDList join(List<NDList> parts, NDManager caller) {
        NDList joined = new NDList(parts.get(0).size());
        for (int o = 0; o < parts.get(0).size(); o++) {
            NDList column = new NDList(parts.size());
            for (NDList p : parts) {
                column.add(p.get(o));
            }
            NDArray out = NDArrays.concat(column, 0);
            out.attach(caller);
            joined.add(out);
        }
        return joined;
    }

    /**
     * Runs each task on a worker of its own and returns their results in order. If one fails, the
     * others are still waited for (they use arrays the caller will close) and the first failure is
     * thrown as the caller's.
     */
    static <T> List<T> runAll(List<Callable<T>> tasks) {
        ExecutorService workers = workers(tasks.size());
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(workers.submit(t));
            }
            List<T> out = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the batch's shards ran", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a shard failed: " + cause, cause);
        } finally {
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException ignored) {
                    // the first failure is what the caller gets
                }
            }
        }
    }

    /** Shard boundaries: k nearly equal parts of rows, the larger ones first. */
    static long[] bounds(long rows, int k) {
        long[] b = new long[k + 1];
        for (int s = 0; s < k; s++) {
            b[s + 1] = b[s] + rows / k + (s < rows % k ? 1 : 0);
        }
        return b;
    }

    /** The workers, at least k of them, started on first use. */
    static ExecutorService workers(int k) {
        synchronized (LOCK) {
            if (pool == null || poolSize < k) {
                if (pool != null) {
                    pool.shutdown();
                }
                int callerThreads = JniUtils.getNumThreads();
                AtomicInteger index = new AtomicInteger();
                CountDownLatch ready = new CountDownLatch(k);
                List<Integer> wrong = Collections.synchronizedList(new ArrayList<>());
                ThreadPoolExecutor created = new ThreadPoolExecutor(k, k, 0L, TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(() -> {
                                Worker.CURRENT.set(Boolean.TRUE);
                                int threads = oneThread();
                                if (threads != 1) {
                                    wrong.add(threads);
                                }
                                ready.countDown();
                                r.run();
                            }, "difflab-shard-" + index.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                created.prestartAllCoreThreads();
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    created.shutdownNow();
                    throw new IllegalStateException("interrupted while starting the shard workers", e);
                } finally {
                    // PyTorch's setter also changed the default for threads initialised later: restore it
                    JniUtils.setNumThreads(callerThreads);
                }
                if (!wrong.isEmpty()) {
                    created.shutdownNow();
                    throw new IllegalStateException("a shard worker runs PyTorch on " + wrong + " threads, not 1");
                }
                pool = created;
                poolSize = k;
            }
            return pool;
        }
    }

    /**
     * The PyTorch thread count of each of the k workers, each asked once (a barrier holds every
     * task until all k run, so each lands on a worker of its own).
     */
    static List<Integer> workerThreadCounts(int k) throws InterruptedException, ExecutionException {
        ExecutorService workers = workers(k);
        CyclicBarrier together = new CyclicBarrier(k);
        List<Future<Integer>> counts = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            counts.add(workers.submit(() -> {
                together.await();
                return JniUtils.getNumThreads();
            }));
        }
        List<Integer> out = new ArrayList<>(k);
        for (Future<Integer> f : counts) {
            out.add(f.get());
        }
        return out;
    }

    /**
     * Runs once on each worker before its first task: PyTorch's per-thread initialisation (which
     * would later reset the thread's OpenMP count to the process default) happens in the getter,
     * then the count is set to 1 and grad mode turned off.
     */
    private static int oneThread() {
        JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        // PyTorch starts every thread in grad mode; DJL turns it off only on the threads it knows, and
        // an inference shard with it on would record a graph (1.2 GB peak instead of 0.37 for the gd
        // U-Net's sampling step, bench/RESULTS.md). ShardedStep turns it on around training passes.
        JniUtils.setGradMode(false);
        return JniUtils.getNumThreads();
    }

    /** Marks the worker threads, so that a forward inside a shard is never sharded again. */
    private static final class Worker {
        static final ThreadLocal<Boolean> CURRENT = new ThreadLocal<>();
    }
}
