package io.difflab.spark;

import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the cluster does besides running cells, in the sweep's log: executors joining and leaving,
 * and a cell's task lost with its executor (Spark then runs it again, and the cell continues from
 * its last checkpoint). Also counts the task slots the executors offer.
 */
final class ClusterEvents extends SparkListener {

    /** The local property {@code setJobGroup} sets (SparkContext's private SPARK_JOB_GROUP_ID). */
    private static final String JOB_GROUP = "spark.jobGroup.id";

    private final PrintWriter log;
    private final String prefix;
    private final Map<Integer, String> cellOfStage = new ConcurrentHashMap<>();
    private final Map<String, Integer> coresOf = new ConcurrentHashMap<>();

    ClusterEvents(PrintWriter log, String sweep) {
        this.log = log;
        this.prefix = "[sweep " + sweep + "] ";
    }

    /** The cores of the executors registered now. */
    int cores() {
        return coresOf.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** How many executors are registered now. */
    int executors() {
        return coresOf.size();
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String group = job.properties() == null ? null : job.properties().getProperty(JOB_GROUP);
        if (group != null && group.startsWith("cell-")) {
            for (Object stage : CollectionConverters.asJava(job.stageIds())) {
                cellOfStage.put((Integer) stage, group.substring("cell-".length()));
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        String cell = cellOfStage.get(end.stageId());
        if (cell != null && end.reason() instanceof TaskFailedReason failed) {
            String why = failed instanceof ExecutorLostFailure lost ? "its executor " + lost.execId() + " was lost ("
                    + failed.toErrorString() + ")" : "its task failed (" + failed.toErrorString() + ")";
            line("cell " + cell + ": " + why.replace('\n', ' ') + "; Spark runs it again (attempt "
                    + (end.taskInfo().attemptNumber() + 2) + "), continuing from its last checkpoint");
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        coresOf.put(added.executorId(), added.executorInfo().totalCores());
        line("executor " + added.executorId() + " on " + added.executorInfo().executorHost() + " joined ("
                + added.executorInfo().totalCores() + " cores)");
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        coresOf.remove(removed.executorId());
        line("executor " + removed.executorId() + " left: " + removed.reason());
    }

    private void line(String text) {
        log.println(prefix + text);
        log.flush();
    }
}
