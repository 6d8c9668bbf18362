package io.difflab.spark;

import io.difflab.cli.CellCommandLine;
import io.difflab.host.run.RunOptions;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.sweep.CellExecutor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

import java.util.List;

/**
 * Sweep cells as Spark jobs of one task each: the sweep's runner calls {@link #run} from as many
 * threads as cells are in flight, and each call submits a job and waits for it. A cell that asks
 * for a GPU runs with a task resource profile of one GPU ({@code spark.task.resource.gpu.amount}
 * for that task alone) on a cluster master. A cell's own failure comes back as its exit code (the
 * runner retries it once, as with {@code --parallel}); Spark retries the task only when the task
 * itself was lost (its executor died), up to {@code spark.task.maxFailures}.
 */
final class SparkCells implements CellExecutor {

    private final JavaSparkContext spark;
    private final CellLauncher launcher;
    private final boolean cluster;
    private final int taskCpus;
    private ResourceProfile gpuProfile;

    SparkCells(JavaSparkContext spark, CellLauncher launcher, boolean cluster) {
        this.spark = spark;
        this.launcher = launcher;
        this.cluster = cluster;
        this.taskCpus = spark.getConf().getInt("spark.task.cpus", 1);
    }

    @Override
    public String run(ExperimentSpec spec, RunOptions options) {
        CellTask task = launcher.task(spec, options);
        spark.setJobGroup("cell-" + task.cellId(), "difflab cell " + task.cellId() + " (" + task.runDir() + ")", true);
        try {
            JavaRDD<CellTask> cell = spark.parallelize(List.of(task), 1);
            if (task.gpu() && cluster) {
                cell = cell.withResources(gpuProfile());
            }
            int code = cell.map(new CellProcess()).collect().get(0);
            return code == 0 ? null : CellCommandLine.failure(options.runDir(), code);
        } catch (RuntimeException e) {
            return "Spark: " + firstLine(e.getMessage());
        } finally {
            spark.clearJobGroup();
        }
    }

    private synchronized ResourceProfile gpuProfile() {
        if (gpuProfile == null) {
            gpuProfile = new ResourceProfileBuilder()
                    .require(new TaskResourceRequests().cpus(taskCpus).resource("gpu", 1.0)).build();
        }
        return gpuProfile;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "the job failed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
