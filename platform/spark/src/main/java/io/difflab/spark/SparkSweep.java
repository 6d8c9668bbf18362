package io.difflab.spark;

import io.difflab.api.UserError;
import io.difflab.cli.ClusterSweep;
import io.difflab.cli.ClusterSweepRequest;
import io.difflab.host.sweep.CellResult;
import io.difflab.host.sweep.SweepRunner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code difflab sweep --master}: the sweep's runner as on one machine (its parent run, sweep state,
 * shared trainings, retries), with every cell a Spark job of one task, run by {@link CellProcess} as
 * a {@code difflab cell} process on an executor. This JVM is the Spark driver (client mode).
 */
public final class SparkSweep implements ClusterSweep {

    /** Spark property: where the distribution is on the executors' machines. */
    public static final String HOME_PROPERTY = "spark.difflab.home";
    /** How long the driver waits for the first executor before it sizes its cells in flight. */
    private static final long EXECUTOR_WAIT_SECONDS = 60;

    @Override
    public List<CellResult> run(ClusterSweepRequest request) {
        SparkMaster master = SparkMaster.parse(request.master());
        Map<String, String> devices = new LinkedHashMap<>();
        request.sweep().runnable().forEach(c -> devices.put(c.id(), c.spec().device()));
        checkGpus(devices, request.conf(), master);
        ClusterTracking tracking = ClusterTracking.of(request.sweep(), master, request.runsDir(), System.getenv());
        SparkConf conf = SparkSettings.of(request, master);
        PrintWriter log = request.log();
        String name = request.sweep().name();
        log.println("[sweep " + name + "] Spark master " + master.url() + "; run folders in "
                + request.runsDir().resolve(name) + "; tracking: " + (tracking.server() ? tracking.uri()
                + " (journal " + tracking.store() + ")" : "local store " + tracking.store()));
        log.flush();
        JavaSparkContext spark;
        try {
            spark = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new UserError("cannot start the Spark application at " + master.url() + ": " + rootCause(e)
                    + " (nothing was started; Spark's log above has the details)", e);
        }
        try {
            ClusterEvents events = new ClusterEvents(log, name);
            spark.sc().addSparkListener(events);
            int parallel = request.parallel() != null ? request.parallel() : slots(spark, master, events, request);
            log.println("[sweep " + name + "] Spark application " + spark.sc().applicationId() + ": " + parallel
                    + " cells in flight at once");
            log.flush();
            SparkCells cells = new SparkCells(spark, new CellLauncher(home(conf, request), request.pluginDirs(),
                    tracking.cellEnv(), !master.local()), !master.local());
            return new SweepRunner(Optional.of(tracking.source())).run(request.sweep(), request.runsDir(), parallel,
                    cells, log);
        } finally {
            spark.stop();
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }

    /**
     * The distribution on the executors' machines: {@value #HOME_PROPERTY}, else the driver's own
     * folder. A relative one (an archive YARN unpacks, {@code spark.yarn.dist.archives=...#difflab})
     * is taken in the executor's working folder.
     */
    static Path home(SparkConf conf, ClusterSweepRequest request) {
        return conf.contains(HOME_PROPERTY) ? Path.of(conf.get(HOME_PROPERTY)) : request.home();
    }

    /**
     * Cells in flight by default: a local master's threads; a cluster's task slots once its executors
     * registered (every cell when executors come and go with dynamic allocation, so it scales up).
     */
    private static int slots(JavaSparkContext spark, SparkMaster master, ClusterEvents events,
                             ClusterSweepRequest request) {
        int taskCpus = spark.getConf().getInt("spark.task.cpus", 1);
        if (master.local()) {
            return Math.max(1, master.threads() / taskCpus);
        }
        int cells = request.sweep().runnable().size();
        if (spark.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return cells;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXECUTOR_WAIT_SECONDS);
        int seen = -1;
        try {
            while (System.nanoTime() < deadline && (events.executors() == 0 || events.cores() != seen)) {
                if (spark.sc().isStopped()) {
                    throw new UserError("the Spark application stopped before any executor joined: is the master "
                            + master.url() + " up? (see the log above)");
                }
                seen = events.executors() == 0 ? -1 : events.cores();
                Thread.sleep(events.executors() == 0 ? 200 : 2000); // then give the others a moment to join
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while waiting for executors", e);
        }
        if (events.executors() == 0) {
            request.log().println("[sweep " + request.sweep().name() + "] no executor joined within "
                    + EXECUTOR_WAIT_SECONDS + " s: all " + cells + " cells are queued until they do");
            return cells;
        }
        return Math.max(1, events.cores() / taskCpus);
    }

    /**
     * On a cluster a cell's GPU is the one Spark assigns its task: executors must offer GPUs, and a
     * cell cannot pick one by index.
     *
     * @param devices each runnable cell's id and {@code device}
     * @param conf    the Spark properties given
     */
    static void checkGpus(Map<String, String> devices, Map<String, String> conf, SparkMaster master) {
        if (master.local()) {
            return;
        }
        List<String> gpuCells = devices.entrySet().stream().filter(e -> CellLauncher.wantsGpu(e.getValue()))
                .map(Map.Entry::getKey).toList();
        List<String> indexed = gpuCells.stream().filter(c -> devices.get(c).strip().matches("(?i)gpu:[1-9]\\d*"))
                .toList();
        if (!indexed.isEmpty()) {
            throw new UserError("device gpu:N in cells " + String.join(", ", indexed) + ": on a cluster each cell "
                    + "gets the GPU Spark assigns to its task; use device: gpu");
        }
        if (!gpuCells.isEmpty() && !conf.containsKey("spark.executor.resource.gpu.amount")) {
            throw new UserError(gpuCells.size() + " cells ask for a GPU (device: gpu), so executors must offer GPUs: "
                    + "--conf spark.executor.resource.gpu.amount=<GPUs per executor> and "
                    + "--conf spark.executor.resource.gpu.discoveryScript=<script> (README \"Sweeps on a cluster\")");
        }
    }
}
