package io.difflab.host.run;

import io.difflab.host.spec.ExperimentSpec;

/**
 * Runs one experiment end to end: builds the model family's components from the registry,
 * trains (or resumes), samples, evaluates and records everything to the tracker. Bound in
 * {@link RunModule}; {@code difflab run} calls it after validating the spec and creating the
 * run folder.
 */
public interface RunPipeline {

    /**
     * Runs {@code spec}.
     *
     * @return the process exit code: 0 when the run finished
     * @throws io.difflab.api.UserError for problems the user can fix (missing data, unreachable server)
     */
    int run(ExperimentSpec spec, RunOptions options);

    /**
     * Checks what a run of {@code spec} needs without running it or writing anything (the networks
     * the family builds with their settings, the dataset, the device, the tracker): {@code difflab
     * run} calls it before it creates the run folder, {@code difflab validate} too.
     *
     * @throws io.difflab.api.UserError naming what cannot work (exit code 2 for a spec's settings)
     */
    default void check(ExperimentSpec spec) {
    }
}
