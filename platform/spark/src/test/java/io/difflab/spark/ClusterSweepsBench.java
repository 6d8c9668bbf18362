package io.difflab.spark;

import io.difflab.tracking.remote.MlflowContractServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cells per hour of the cluster tests' tiny sweep (four cells, one shared training) with
 * {@code --parallel 2}, {@code --master local[2]} and a two-worker standalone cluster on this
 * machine, all recording to the MLflow contract server. Each round runs the three in turn from
 * scratch (no training to reuse), so a busy machine slows them alike; the wall time is the whole
 * {@code difflab sweep} command (a standalone cluster is up already, as it would be; the
 * application and its executors start with the sweep). Not part of the build:
 * {@code ./mvnw -Pspark -pl platform/spark -am verify -Dit.test=ClusterSweepsBench -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.rounds=3]
 * [-Dbench.seeds=1]}; the table goes to {@code target/cluster-sweeps-bench.md}.
 */
class ClusterSweepsBench {

    @TempDir
    Path work;

    @Test
    void cellsPerHour() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        int seeds = Integer.getInteger("bench.seeds", 1);
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        int cells = 4 * seeds;
        try (MlflowContractServer mlflow = MlflowContractServer.started();
             StandaloneCluster cluster = StandaloneCluster.start(Driver.ADD_ON, Files.createDirectories(
                     work.resolve("cluster")), 2)) {
            Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", mlflow.uri());
            String[] loopback = {"--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false"};
            Map<String, List<String>> modes = new LinkedHashMap<>();
            modes.put("--parallel 2", List.of("--parallel", "2"));
            List<String> local = new ArrayList<>(List.of("--master", "local[2]"));
            local.addAll(List.of(loopback));
            modes.put("--master local[2]", local);
            List<String> standalone = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--conf",
                    "spark.executor.memory=512m"));
            standalone.addAll(List.of(loopback));
            modes.put("standalone, 2 workers x 1 core", standalone);
            int run = 0;
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
                    String name = "bench-" + (++run);
                    Path dir = Files.createDirectories(work.resolve(name));
                    TinySweep.write(dir, name, 12, 4);
                    if (seeds > 1) {
                        Files.writeString(dir.resolve(name + ".yaml"), "seeds: " + seedList(seeds) + "\n",
                                java.nio.file.StandardOpenOption.APPEND);
                    }
                    List<String> args = new ArrayList<>(List.of("sweep", name + ".yaml"));
                    args.addAll(mode.getValue());
                    long start = System.nanoTime();
                    Driver.Result r = Driver.run(dir, "sweep", 1800, env, args.toArray(String[]::new));
                    double s = (System.nanoTime() - start) / 1e9;
                    assertEquals(0, r.code(), r.toString());
                    seconds.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(s);
                    System.out.printf("round %d, %s: %.1f s (load %s)%n", round, mode.getKey(), s, load());
                }
            }
        }
        StringBuilder table = new StringBuilder("| " + cells + " cells, " + seeds
                + " training(s) | median s | cells/hour | runs (s) |\n|---|---|---|---|\n");
        seconds.forEach((mode, list) -> {
            double median = median(list);
            table.append(String.format("| %s | %.1f | %.0f | %s |%n", mode, median, cells * 3600 / median,
                    list.stream().map(v -> String.format("%.1f", v)).toList()));
        });
        table.append("\nload average after: ").append(load()).append('\n');
        System.out.println(table);
        Files.writeString(Path.of("target/cluster-sweeps-bench.md"), table.toString(), StandardCharsets.UTF_8);
    }

    private static String seedList(int seeds) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            s.add(Integer.toString(i));
        }
        return "[" + String.join(", ", s) + "]";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
