package io.difflab.host.sweep;

/** Where a sweep cell stands. */
public enum CellStatus {
    /** Not started yet. */
    PENDING,
    /** Started and not ended (or its process was killed: the next start resumes it). */
    RUNNING,
    /** Ended well: a later start of the sweep skips it. */
    FINISHED,
    /** Failed, after its retry. */
    FAILED,
    /** Matched a skip rule: never run. */
    SKIPPED
}
