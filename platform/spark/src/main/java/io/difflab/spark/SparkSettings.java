package io.difflab.spark;

import io.difflab.cli.ClusterSweepRequest;
import org.apache.spark.SparkConf;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark configuration of a sweep's application: the master, {@code --conf}'s properties, and
 * what the cells need: no speculative copies (a cell runs once at a time), this add-on's jar shipped
 * to executors (they run {@link CellProcess}), and on a cluster the driver's tracking and engine
 * variables as the executors' environment, which the cells inherit.
 */
final class SparkSettings {

    /** Variables a cell reads, forwarded to executors unless {@code --conf spark.executorEnv.X} sets them. */
    static final List<String> CELL_ENV = List.of("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME",
            "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN", "JAVA_OPTS", "DIFFLAB_MALLOC", "ONEDNN_MAX_CPU_ISA",
            "OMP_NUM_THREADS", "PYTORCH_FLAVOR", "PYTORCH_LIBRARY_PATH", "TORCH_CPP_LOG_LEVEL");

    private SparkSettings() {
    }

    static SparkConf of(ClusterSweepRequest request, SparkMaster master) {
        return of(request.conf(), master, request.sweep().name(), System.getenv());
    }

    static SparkConf of(Map<String, String> given, SparkMaster master, String sweep, Map<String, String> env) {
        SparkConf conf = new SparkConf();
        conf.setMaster(master.url());
        conf.setAppName("difflab sweep " + sweep);
        conf.set("spark.ui.showConsoleProgress", "false");
        given.forEach(conf::set);
        conf.set("spark.speculation", "false");
        if (!master.local()) {
            for (String name : CELL_ENV) {
                String value = env.get(name);
                if (value != null && !value.isBlank()) {
                    conf.setIfMissing("spark.executorEnv." + name, value);
                }
            }
            addOnJar().ifPresent(jar -> {
                String jars = conf.get("spark.jars", "");
                conf.set("spark.jars", jars.isBlank() ? jar : jars + "," + jar);
            });
        }
        return conf;
    }

    /** This module's jar, which executors need for {@link CellProcess} (none when run from classes). */
    private static Optional<String> addOnJar() {
        try {
            Path location = Path.of(SparkSweep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location.toString()) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
