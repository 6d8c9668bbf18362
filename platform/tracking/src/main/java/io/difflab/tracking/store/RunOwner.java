package io.difflab.tracking.store;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The process that writes a run, recorded in the run's {@code .difflab/owner} file (pid and
 * the process's start instant, so a reused pid is not mistaken for the owner). A RUNNING run
 * whose owner is gone was killed.
 *
 * @param pid       the process id
 * @param startedAt the process's start in milliseconds since the epoch, or -1 when unknown
 */
public record RunOwner(long pid, long startedAt) {

    /** This process. */
    public static RunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(self.pid(), startOf(self));
    }

    /** Whether the owner process is still alive. */
    public boolean alive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long start = startOf(handle.get());
        return startedAt < 0 || start < 0 || start == startedAt;
    }

    public boolean isCurrentProcess() {
        return equals(current());
    }

    /** Records this owner for a run. */
    public void write(RunFiles files) throws IOException {
        AtomicFiles.write(files.ownerFile(), "pid=" + pid + "\nstarted_at=" + startedAt + "\n", files.tmpDir());
    }

    /** The recorded owner of a run, if any (runs written by MLflow itself have none). */
    public static Optional<RunOwner> read(RunFiles files) {
        Path file = files.ownerFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file)));
            return Optional.of(new RunOwner(Long.parseLong(p.getProperty("pid", "-1").trim()),
                    Long.parseLong(p.getProperty("started_at", "-1").trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long startOf(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
