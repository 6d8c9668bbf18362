package io.difflab.cli;

import io.difflab.host.sweep.SweepSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep to run on a cluster, as {@code difflab sweep --master} was asked.
 *
 * @param sweep      the validated sweep
 * @param master     the Spark master URL ({@code local[N]}, {@code spark://host:port}, {@code yarn}, {@code k8s://...})
 * @param conf       Spark properties given with {@code --conf}
 * @param runsDir    the runs folder, absolute (on a cluster: a folder every node mounts at this path)
 * @param parallel   cells in flight at once, or {@code null} for the cluster's task slots
 * @param home       the distribution folder (its {@code bin/difflab} runs each cell)
 * @param pluginDirs plugin folders the cells load besides the distribution's own
 * @param log        where progress goes
 */
public record ClusterSweepRequest(SweepSpec sweep, String master, Map<String, String> conf, Path runsDir,
                                  Integer parallel, Path home, List<Path> pluginDirs, PrintWriter log) {

    public ClusterSweepRequest {
        conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        pluginDirs = List.copyOf(pluginDirs);
    }
}
