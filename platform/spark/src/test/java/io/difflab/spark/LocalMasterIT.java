package io.difflab.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab sweep --master local[2]}: the cells as tasks of a Spark application in the driver's
 * JVM, each a process of its own, recorded in the local store ./mlruns (no server needed on one
 * machine), computing the very samples {@code --parallel 2} computes; and a cluster master without
 * a tracking server, refused before anything starts.
 */
class LocalMasterIT {

    @TempDir
    Path work;

    @Test
    void localTwoRunsTheFourCellsAsChildRunsInTheLocalStoreAndSamplesWhatParallelTwoSamples() throws Exception {
        TinySweep.write(work, "local-sweep", 12, 4);
        // one thread per cell in both: a Spark task gives its cell spark.task.cpus (1) threads
        Map<String, String> oneThread = Map.of("OMP_NUM_THREADS", "1");
        Driver.Result r = Driver.run(work, "sweep", 600, oneThread, "sweep", "local-sweep.yaml", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("tracking: local store " + work.resolve("mlruns")), r.err());
        assertTrue(r.err().contains("2 cells in flight at once"), r.err());

        List<Path> runs = runFolders(work.resolve("mlruns"));
        assertEquals(5, runs.size(), runs.toString());
        List<Path> parents = runs.stream().filter(p -> tag(p, "mlflow.parentRunId").isEmpty()).toList();
        assertEquals(1, parents.size());
        String parentId = parents.get(0).getFileName().toString();
        assertEquals("local-sweep", tag(parents.get(0), "difflab.sweep").orElseThrow());
        long trained = 0;
        for (Path run : runs) {
            assertTrue(Files.readString(run.resolve("meta.yaml")).contains("status: 3"), run + " FINISHED");
            if (!run.getFileName().toString().equals(parentId)) {
                assertEquals(parentId, tag(run, "mlflow.parentRunId").orElseThrow());
                trained += Files.isRegularFile(run.resolve("metrics/train.loss")) ? 1 : 0;
            }
        }
        assertEquals(1, trained, "one training for the four cells");
        Path cell = TinySweep.runFolder(work.resolve("runs/local-sweep"), "scale2").orElseThrow();
        assertTrue(Files.readString(cell.resolve("cell.log")).contains("[spark] attempt 0 of Spark task"));

        Path children = Files.createDirectories(work.resolve("parallel"));
        TinySweep.write(children, "local-sweep", 12, 4);
        Driver.Result parallel = Driver.run(children, "sweep", 600, oneThread, "sweep", "local-sweep.yaml",
                "--parallel", "2");
        assertEquals(0, parallel.code(), parallel.toString());
        for (String id : List.of("scale0", "scale1", "scale2", "scale3")) {
            Map<String, String> spark = arrays(TinySweep.runFolder(work.resolve("runs/local-sweep"), id).orElseThrow()
                    .resolve("samples.npz"));
            Map<String, String> processes = arrays(TinySweep.runFolder(children.resolve("runs/local-sweep"), id)
                    .orElseThrow().resolve("samples.npz"));
            assertEquals(List.of("labels.npy", "samples.npy"), List.copyOf(new java.util.TreeSet<>(spark.keySet())));
            assertEquals(processes, spark, id + ": the same samples to the last bit");
        }
    }

    @Test
    void aClusterMasterWithoutATrackingServerStartsNothing() throws Exception {
        TinySweep.write(work, "no-server", 12, 4);
        Driver.Result r = Driver.run(work, "sweep", 300, Map.of(), "sweep", "no-server.yaml", "--master",
                "spark://127.0.0.1:7077");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("record their runs on an MLflow tracking server only"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(work.resolve("runs")), "nothing started");
        assertFalse(Files.exists(work.resolve("mlruns")));

        Driver.Result down = Driver.run(work, "down", 300, Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:"
                + StandaloneCluster.freePort()), "sweep", "no-server.yaml", "--master", "spark://127.0.0.1:7077");
        assertEquals(1, down.code(), down.toString());
        assertTrue(down.err().contains("the MLflow tracking server does not answer"), down.err());
        assertFalse(Files.exists(work.resolve("runs")), "nothing started");
    }

    /** The arrays of an .npz file (a zip of .npy files, stamped with the time it was written): name to bytes, hex. */
    private static Map<String, String> arrays(Path npz) throws IOException {
        Map<String, String> arrays = new java.util.TreeMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(npz))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                arrays.put(e.getName(), java.util.HexFormat.of().formatHex(zip.readAllBytes()));
            }
        }
        return arrays;
    }

    private static List<Path> runFolders(Path store) throws IOException {
        try (Stream<Path> walk = Files.walk(store, 2)) {
            return walk.filter(p -> p.getNameCount() == store.getNameCount() + 2
                    && Files.isRegularFile(p.resolve("meta.yaml"))).sorted().toList();
        }
    }

    private static Optional<String> tag(Path run, String name) {
        try {
            Path f = run.resolve("tags").resolve(name);
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
