package io.difflab.core.run;

import io.difflab.api.UserError;
import io.difflab.core.spec.ExperimentSpec;

/** Placeholder until the training pipeline lands: says so instead of pretending to run. */
public final class PendingRunPipeline implements RunPipeline {

    @Override
    public int run(ExperimentSpec spec, RunOptions options) {
        throw new UserError("training is not implemented yet (the spec is valid and was written to "
                + options.runDir().resolve(RunFolders.SPEC_FILE) + ")");
    }
}
