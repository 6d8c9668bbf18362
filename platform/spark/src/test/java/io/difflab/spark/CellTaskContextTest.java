package io.difflab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cell run by a real Spark task (local[1]): it gets its task's CPUs as OpenMP threads, no GPU it
 * was not given, and the task's attempt in its log.
 */
class CellTaskContextTest {

    @TempDir
    Path dir;

    @Test
    void aTaskGivesItsCellItsCpusAndHidesGpusItWasNotGiven() throws Exception {
        Path log = dir.resolve("cell.log");
        String script = "echo \"omp=$OMP_NUM_THREADS cuda=[${CUDA_VISIBLE_DEVICES-unset}]\"";
        CellTask cpu = new CellTask("c", List.of("sh", "-c", script), Map.of(), dir.toString(), dir.toString(),
                log.toString(), false, true);
        CellTask local = new CellTask("d", List.of("sh", "-c", script), Map.of(), dir.toString(), dir.toString(),
                log.toString(), false, false);
        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("cell-task-context")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            assertEquals(List.of(0, 0), spark.parallelize(List.of(cpu, local), 2).map(new CellProcess()).collect());
        }
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(0).matches("\\[spark] attempt 0 of Spark task \\d+ on .*: sh -c .*"), lines.get(0));
        String omp = System.getenv("OMP_NUM_THREADS") == null ? "1" : System.getenv("OMP_NUM_THREADS");
        assertEquals("omp=" + omp + " cuda=[]", lines.get(1), "a cluster task owns no GPU it was not given");
        String driverCuda = System.getenv("CUDA_VISIBLE_DEVICES") == null ? "unset"
                : System.getenv("CUDA_VISIBLE_DEVICES");
        assertEquals("omp=" + omp + " cuda=[" + driverCuda + "]", lines.get(3),
                "a local master's cell sees what the driver sees");
    }
}
