package io.difflab.kit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Named places in training and checkpointing where the fault-injection tests stop the process, as
 * {@code kill -9} would find it at that instant. Off (one string comparison) unless the system
 * property {@value #PROPERTY} names a point as {@code <point>:<where>}, e.g.
 * {@code checkpoint.write:checkpoints@4}. On reaching it the process writes the point into the
 * file {@value #MARKER_PROPERTY} names and waits there for the test's SIGKILL; without that
 * property it halts at once ({@link Runtime#halt}: no shutdown hooks, no buffers flushed).
 */
public final class FaultPoint {

    /** The system property naming the point to stop at. */
    public static final String PROPERTY = "difflab.fault";
    /** The system property naming the file that announces the point was reached. */
    public static final String MARKER_PROPERTY = "difflab.fault.marker";

    private static final String ARMED = System.getProperty(PROPERTY, "");
    /** How long a process waits for its kill before halting by itself. */
    private static final long WAIT_MINUTES = 10;

    private FaultPoint() {
    }

    /**
     * Stops here when this is the armed point.
     *
     * @param point the kind of place ({@code train.step}, {@code checkpoint.write}, {@code checkpoint.prune})
     * @param where which instance: the checkpoint folder's name and the step ({@code classifier@6})
     */
    public static void reach(String point, String where) {
        if (ARMED.isEmpty() || !ARMED.equals(point + ":" + where)) {
            return;
        }
        String marker = System.getProperty(MARKER_PROPERTY, "");
        if (!marker.isEmpty()) {
            try {
                Files.writeString(Path.of(marker), ARMED + "\n", StandardCharsets.UTF_8);
                TimeUnit.MINUTES.sleep(WAIT_MINUTES);
            } catch (IOException | InterruptedException e) {
                // halt below all the same
            }
        }
        Runtime.getRuntime().halt(137);
    }
}
