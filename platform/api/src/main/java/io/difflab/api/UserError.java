package io.difflab.api;

/**
 * An error the user caused and can fix (a bad spec, a missing dataset, an unreachable server,
 * a wrong plugin): the CLI prints its message alone, without a stack trace, and exits non-zero.
 */
public class UserError extends RuntimeException {

    private final int exitCode;

    public UserError(String message) {
        this(message, 1, null);
    }

    public UserError(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code: 2 for an invalid spec, 1 otherwise. */
    public int exitCode() {
        return exitCode;
    }
}
