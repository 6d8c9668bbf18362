package io.difflab.host.sweep;

import io.difflab.api.UserError;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunPipeline;
import io.difflab.host.spec.ExperimentSpec;

/**
 * Runs one attempt of a sweep cell: the resolved spec in its run folder, with the options saying
 * its parent run, tags and where its training comes from. In this process (one cell at a time:
 * DJL's PyTorch engine allows one gradient recording per process) or in a child process each.
 */
public interface CellExecutor {

    /**
     * Runs the cell once.
     *
     * @return why it failed, or {@code null} when it finished
     */
    String run(ExperimentSpec spec, RunOptions options);

    /** Cells run by {@code pipeline} in this process. */
    static CellExecutor inProcess(RunPipeline pipeline) {
        return (spec, options) -> {
            try {
                int code = pipeline.run(spec, options);
                return code == 0 ? null : "exit code " + code;
            } catch (RuntimeException | Error e) {
                return describe(e);
            }
        };
    }

    /** A failure as one line: a user error's message, otherwise the exception's type and message. */
    static String describe(Throwable e) {
        return e instanceof UserError || e.getMessage() != null && e.getClass().getName().startsWith("io.difflab")
                ? String.valueOf(e.getMessage()) : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
