package io.difflab.host.inject;

import io.difflab.api.RunContext;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The run in progress, set by the run pipeline. The injector is created once and its
 * extensions are singletons, but the run changes: extensions that need it inject
 * {@code Provider<RunContext>} and call {@code get()} while they work. Each thread (and the
 * threads it starts) sees its own run, so a sweep may run cells side by side in one process.
 */
@Singleton
public final class RunContextHolder implements Provider<RunContext> {

    private final InheritableThreadLocal<RunContext> current = new InheritableThreadLocal<>();

    /** Makes {@code context} the run in progress. */
    public void set(RunContext context) {
        current.set(context);
    }

    /** Ends the run in progress. */
    public void clear() {
        current.remove();
    }

    /** The run in progress, if any. */
    public Optional<RunContext> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * The run in progress.
     *
     * @throws IllegalStateException outside a run (an extension asking in its constructor)
     */
    @Override
    public RunContext get() {
        RunContext c = current.get();
        if (c == null) {
            throw new IllegalStateException("no run in progress: inject Provider<RunContext> and call get()"
                    + " during the run, not in a constructor");
        }
        return c;
    }
}
