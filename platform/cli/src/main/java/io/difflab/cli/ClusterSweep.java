package io.difflab.cli;

import io.difflab.host.sweep.CellResult;

import java.util.List;

/**
 * Runs a sweep's cells as tasks of a cluster: what {@code difflab sweep --master} hands the Spark
 * add-on ({@code platform/spark}), found with {@link java.util.ServiceLoader} when the add-on is on
 * the class path (see {@link SparkAddOn}).
 */
public interface ClusterSweep {

    /**
     * Checks the request (master, tracking server, runs folder), then runs every cell not finished
     * yet, one cluster task each, as children of the sweep's parent run.
     *
     * @return every cell's result, in cell order
     * @throws io.difflab.api.UserError when the request cannot run (nothing is started then)
     */
    List<CellResult> run(ClusterSweepRequest request);
}
