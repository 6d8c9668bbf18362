package io.difflab.tracking.remote;

/**
 * A request to the tracking server failed. {@link #retryable()} when the server may accept it
 * later (unreachable, 5xx, 429, 408); otherwise the server refused the request itself. The
 * message never holds credentials.
 */
public final class TrackingServerException extends RuntimeException {

    private final boolean retryable;
    private final int status;

    public TrackingServerException(String message, boolean retryable, int status, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.status = status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status, or 0 when no response came. */
    public int status() {
        return status;
    }

    /** Whether an HTTP status means "try again later". */
    static boolean retryableStatus(int status) {
        return status >= 500 || status == 429 || status == 408 || status == 0;
    }
}
