package io.difflab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run left, read back to compare two runs: the final checkpoints of every network, the raw
 * samples, and the MLflow run (found through the run folder's {@code tracking-run-id}) with its
 * metric histories.
 */
final class RunRecords {

    /** Metrics that measure time or memory: their steps must match, their values cannot. */
    static boolean timing(String key) {
        return key.contains("seconds") || key.contains("peak_");
    }

    private RunRecords() {
    }

    /** The MLflow run folder of the run in {@code runDir}, in the local store of {@code work}. */
    static Path mlflowRun(Path work, Path runDir) throws IOException {
        String id = Files.readString(runDir.resolve("tracking-run-id")).trim();
        try (Stream<Path> walk = Files.walk(work.resolve("mlruns"), 2)) {
            return walk.filter(p -> p.getFileName().toString().equals(id)).findFirst().orElseThrow();
        }
    }

    /** Each metric's points as (step, value) lines in file order; the key's file name as key. */
    static Map<String, List<double[]>> metrics(Path mlrun) throws IOException {
        Map<String, List<double[]>> out = new TreeMap<>();
        Path dir = mlrun.resolve("metrics");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                List<double[]> points = new ArrayList<>();
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    points.add(new double[] {Long.parseLong(parts[2]), Double.parseDouble(parts[1])});
                }
                out.put(f.getFileName().toString(), points);
            }
        }
        return out;
    }

    /** Every metric of {@code actual} at the same steps as {@code expected}, each step once, equal values but timings. */
    static void assertSameMetrics(Map<String, List<double[]>> expected, Map<String, List<double[]>> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "the same metrics");
        for (String key : expected.keySet()) {
            Set<Double> seen = new HashSet<>();
            for (double[] p : actual.get(key)) {
                assertTrue(seen.add(p[0]), key + " at step " + (long) p[0] + " is recorded twice");
            }
            assertEquals(steps(expected.get(key)), steps(actual.get(key)), key + ": every step once, in order");
            if (!timing(key)) {
                for (int i = 0; i < expected.get(key).size(); i++) {
                    assertEquals(expected.get(key).get(i)[1], actual.get(key).get(i)[1],
                            key + " at step " + (long) expected.get(key).get(i)[0]);
                }
            }
        }
    }

    private static List<Long> steps(List<double[]> points) {
        return points.stream().map(p -> (long) p[0]).toList();
    }

    /** The newest checkpoint of every network ({@code checkpoints/}, {@code checkpoints/<network>/}) byte for byte. */
    static void assertSameFinalCheckpoints(Path expectedRun, Path actualRun) throws IOException {
        List<Path> stores = stores(expectedRun.resolve("checkpoints"));
        assertTrue(!stores.isEmpty(), "checkpoints in " + expectedRun);
        for (Path store : stores) {
            Path expected = newest(store);
            Path actual = actualRun.resolve(expectedRun.relativize(expected));
            assertEquals(expected.getFileName().toString(), newest(actualRun.resolve(expectedRun.relativize(store)))
                    .getFileName().toString(), "the same last checkpoint of " + store.getFileName());
            for (String f : List.of("model.ndlist", "ema.ndlist", "optimizer.ndlist")) {
                assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                        expectedRun.relativize(expected.resolve(f)) + " bit for bit");
            }
        }
    }

    /** The arrays in {@code samples.npz} (entry name to bytes: the zip's own time stamps differ). */
    static Map<String, byte[]> samples(Path runDir) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (InputStream in = Files.newInputStream(runDir.resolve("samples.npz"));
             ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                entries.put(e.getName(), bytes.toByteArray());
            }
        }
        return entries;
    }

    static void assertSameSamples(Path expectedRun, Path actualRun) throws IOException {
        Map<String, byte[]> expected = samples(expectedRun);
        Map<String, byte[]> actual = samples(actualRun);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), "samples.npz " + name + " bit for bit"));
    }

    private static List<Path> stores(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("step-")
                    && !d.getFileName().toString().startsWith(".")).filter(d -> {
                        try (Stream<Path> children = Files.list(d)) {
                            return children.anyMatch(c -> c.getFileName().toString().startsWith("step-"));
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }

    private static Path newest(Path store) throws IOException {
        try (Stream<Path> steps = Files.list(store)) {
            return steps.filter(d -> d.getFileName().toString().matches("step-\\d+")).max(Path::compareTo).orElseThrow();
        }
    }
}
