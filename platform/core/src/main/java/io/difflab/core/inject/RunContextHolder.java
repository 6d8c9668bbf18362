package io.difflab.core.inject;

import io.difflab.api.RunContext;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The run in progress, set by the run pipeline. The injector is created once and its
 * extensions are singletons, but the run changes: extensions that need it inject
 * {@code Provider<RunContext>} and call {@code get()} while they work.
 */
@Singleton
public final class RunContextHolder implements Provider<RunContext> {

    private volatile RunContext current;

    /** Makes {@code context} the run in progress. */
    public void set(RunContext context) {
        current = context;
    }

    /** Ends the run in progress. */
    public void clear() {
        current = null;
    }

    /** The run in progress, if any. */
    public Optional<RunContext> current() {
        return Optional.ofNullable(current);
    }

    /**
     * The run in progress.
     *
     * @throws IllegalStateException outside a run (an extension asking in its constructor)
     */
    @Override
    public RunContext get() {
        RunContext c = current;
        if (c == null) {
            throw new IllegalStateException("no run in progress: inject Provider<RunContext> and call get()"
                    + " during the run, not in a constructor");
        }
        return c;
    }
}
