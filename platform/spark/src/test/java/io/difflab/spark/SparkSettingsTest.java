package io.difflab.spark;

import io.difflab.api.UserError;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application's Spark properties, and the GPU requirements checked before it starts. */
class SparkSettingsTest {

    private static final Map<String, String> ENV = Map.of("MLFLOW_TRACKING_URI", "http://mlflow:5000",
            "MLFLOW_TRACKING_TOKEN", "secret", "JAVA_OPTS", "-Xmx2g", "HOME", "/home/me");

    @Test
    void aClusterGetsTheCellsVariablesButNotWhatConfSetsAndNeverSpeculation() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("spark.executorEnv.JAVA_OPTS", "-Xmx6g");
        given.put("spark.speculation", "true");
        given.put("spark.executor.memory", "512m");
        SparkConf conf = SparkSettings.of(given, SparkMaster.parse("spark://h:7077"), "s", ENV);
        assertEquals("spark://h:7077", conf.get("spark.master"));
        assertEquals("difflab sweep s", conf.get("spark.app.name"));
        assertEquals("http://mlflow:5000", conf.get("spark.executorEnv.MLFLOW_TRACKING_URI"));
        assertEquals("secret", conf.get("spark.executorEnv.MLFLOW_TRACKING_TOKEN"));
        assertEquals("-Xmx6g", conf.get("spark.executorEnv.JAVA_OPTS"), "--conf wins");
        assertFalse(conf.contains("spark.executorEnv.HOME"), "only what a cell reads");
        assertEquals("false", conf.get("spark.speculation"), "a cell runs once at a time");
        assertEquals("512m", conf.get("spark.executor.memory"));
    }

    @Test
    void aLocalMasterSharesTheDriversEnvironmentAlready() {
        SparkConf conf = SparkSettings.of(Map.of(), SparkMaster.parse("local[2]"), "s", ENV);
        assertFalse(conf.contains("spark.executorEnv.MLFLOW_TRACKING_URI"));
        assertEquals("local[2]", conf.get("spark.master"));
    }

    @Test
    void gpuCellsOnAClusterNeedExecutorGpusAndNoIndex() {
        SparkMaster cluster = SparkMaster.parse("yarn");
        Map<String, String> devices = Map.of("a", "gpu", "b", "cpu", "c", "auto");
        UserError none = assertThrows(UserError.class, () -> SparkSweep.checkGpus(devices, Map.of(), cluster));
        assertTrue(none.getMessage().contains("1 cells ask for a GPU")
                && none.getMessage().contains("spark.executor.resource.gpu.amount"), none.getMessage());
        assertDoesNotThrow(() -> SparkSweep.checkGpus(devices, Map.of("spark.executor.resource.gpu.amount", "1"),
                cluster));
        UserError indexed = assertThrows(UserError.class, () -> SparkSweep.checkGpus(Map.of("a", "gpu:1"),
                Map.of("spark.executor.resource.gpu.amount", "2"), cluster));
        assertTrue(indexed.getMessage().contains("use device: gpu"), indexed.getMessage());
        assertDoesNotThrow(() -> SparkSweep.checkGpus(Map.of("a", "gpu:0"),
                Map.of("spark.executor.resource.gpu.amount", "1"), cluster), "index 0 is the task's own GPU");
        assertDoesNotThrow(() -> SparkSweep.checkGpus(Map.of("a", "gpu:1"), Map.of(), SparkMaster.parse("local[2]")),
                "a local master schedules no GPUs: the cell picks its own");
    }
}
