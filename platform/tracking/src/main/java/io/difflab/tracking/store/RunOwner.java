package io.difflab.tracking.store;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The process that writes a run, recorded in the run's {@code .difflab/owner} file (host, pid and
 * the process's start instant, so a reused pid is not mistaken for the owner). A RUNNING run
 * whose owner is gone was killed. Only a process on the owner's host can tell: a store shared by
 * several machines (a cluster sweep's journal) holds runs of processes this one cannot see.
 *
 * @param pid       the process id
 * @param startedAt the process's start in milliseconds since the epoch, or -1 when unknown
 * @param host      the host name of the process, or {@code null} when not recorded (taken as this host)
 */
public record RunOwner(long pid, long startedAt, String host) {

    private static final String HOST = hostName();

    /** An owner on this host. */
    public RunOwner(long pid, long startedAt) {
        this(pid, startedAt, HOST);
    }

    /** This process. */
    public static RunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(self.pid(), startOf(self), HOST);
    }

    /** Whether the owner runs (or ran) on this host, where its pid means something. */
    public boolean onThisHost() {
        return host == null || host.equals(HOST);
    }

    /** Whether the owner process is alive; a process on another host is not seen alive from here. */
    public boolean alive() {
        if (!onThisHost()) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long start = startOf(handle.get());
        return startedAt < 0 || start < 0 || start == startedAt;
    }

    /** Whether the owner is known to be gone: on this host, and no longer alive. */
    public boolean gone() {
        return onThisHost() && !alive();
    }

    public boolean isCurrentProcess() {
        return equals(current());
    }

    /** Records this owner for a run. */
    public void write(RunFiles files) throws IOException {
        AtomicFiles.write(files.ownerFile(), "pid=" + pid + "\nstarted_at=" + startedAt + "\n"
                + (host == null ? "" : "host=" + host + "\n"), files.tmpDir());
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
                    Long.parseLong(p.getProperty("started_at", "-1").trim()), p.getProperty("host")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long startOf(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /** The kernel's host name (a container's own), read without a DNS lookup; else the environment's. */
    private static String hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.strip();
    }
}
