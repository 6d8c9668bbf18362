package io.difflab.kit.train;

import io.difflab.api.UserError;

/** The loss became NaN or infinite: the run ends FAILED, naming the step; checkpoints stay as they were. */
public final class NonFiniteLossException extends UserError {

    private final long step;

    /** @param what what was not finite, e.g. "the loss is NaN" */
    public NonFiniteLossException(long step, String what, String lastCheckpoint) {
        super("training diverged: " + what + " at step " + step + "; the last good checkpoint is "
                + lastCheckpoint + " (lower train.lr or set train.grad_clip, then run again with --resume)");
        this.step = step;
    }

    /** The 1-based step whose loss was not finite. */
    public long step() {
        return step;
    }
}
