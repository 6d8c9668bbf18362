package io.difflab.host.run;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;

/**
 * Marks a run KILLED when the process is interrupted (Ctrl-C, SIGTERM) before it finished; a run
 * killed harder (SIGKILL) is marked by the tracker on its next resume or sync instead.
 */
public final class KillHook implements AutoCloseable {

    private final Thread hook;
    private volatile boolean done;

    public KillHook(TrackedRun run) {
        hook = new Thread(() -> {
            if (!done) {
                run.setTags(java.util.Map.of("difflab.failure", "the process was interrupted"));
                run.end(RunStatus.KILLED);
            }
        }, "difflab-kill-hook");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The run ended normally: nothing to do at shutdown. */
    public void finished() {
        done = true;
    }

    @Override
    public void close() {
        done = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
