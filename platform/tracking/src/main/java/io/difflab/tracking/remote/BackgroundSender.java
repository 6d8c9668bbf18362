package io.difflab.tracking.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends the runs of this process to the server from one daemon thread, so that training never
 * waits on the network: every poll interval it passes over the watched runs (a pass over a run
 * with nothing new makes no request); after a failure it waits with exponential back-off and
 * tries again, from where the server's acknowledgements left off. A run leaves the watch list
 * once it has ended and the server has all of it.
 */
final class BackgroundSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSender.class);

    private final RunReplicator replicator;
    private final SenderSettings settings;
    private final Set<String> watched = new LinkedHashSet<>();
    private final Set<String> complete = new LinkedHashSet<>();
    private Thread thread;
    private boolean wake;
    private boolean closing;
    private long passesStarted;
    private long lastFailedPass = -1;
    private int failures;

    BackgroundSender(RunReplicator replicator, SenderSettings settings) {
        this.replicator = replicator;
        this.settings = settings;
    }

    /** Starts sending a run (and the thread, at the first run). */
    synchronized void watch(String runId) {
        complete.remove(runId);
        watched.add(runId);
        if (thread == null) {
            thread = new Thread(this::loop, "difflab-mlflow-sender");
            thread.setDaemon(true);
            thread.start();
        }
        nudge();
    }

    /** Starts a pass now (cutting a back-off short). */
    synchronized void nudge() {
        wake = true;
        notifyAll();
    }

    /**
     * Waits until the server has all of an ended run; gives up after the timeout or after one
     * failed attempt that began after this call (the server is down: the run is sent later).
     */
    synchronized boolean awaitComplete(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long since = passesStarted;
        nudge();
        while (!complete.contains(runId)) {
            long left = deadline - System.nanoTime();
            if (lastFailedPass > since || left <= 0 || thread == null) {
                return false;
            }
            waitNanos(left);
        }
        return true;
    }

    /** Makes a last pass, then stops the thread (waiting at most the flush timeout). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closing = true;
            nudge();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(settings.flushTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (true) {
            List<String> todo;
            long pass;
            boolean last;
            synchronized (this) {
                last = closing;
                todo = new ArrayList<>(watched);
                pass = ++passesStarted;
                wake = false;
            }
            boolean failed = passOver(todo);
            synchronized (this) {
                if (failed) {
                    lastFailedPass = pass;
                    failures++;
                } else {
                    if (failures > 0) {
                        LOG.info("tracking server {} is reachable again: the backlog was sent", replicator.server().uri());
                    }
                    failures = 0;
                }
                notifyAll();
                if (last || closing && watched.isEmpty()) {
                    thread = null;
                    notifyAll();
                    return;
                }
                Duration pause = failed ? settings.backoff(failures) : settings.pollInterval();
                if (!wake) {
                    waitNanos(pause.toNanos());
                }
            }
        }
    }

    /** One attempt at every run; returns whether it failed (the rest waits for the next pass). */
    private boolean passOver(List<String> runs) {
        for (String runId : runs) {
            try {
                SyncOutcome outcome = replicator.sync(runId);
                if (outcome.complete()) {
                    synchronized (this) {
                        watched.remove(runId);
                        complete.add(runId);
                    }
                }
            } catch (TrackingServerException e) {
                report(e.getMessage(), e.retryable());
                return true;
            } catch (IOException | RuntimeException e) {
                report("run " + runId + ": " + e.getMessage(), false);
                return true;
            }
        }
        return false;
    }

    private void report(String message, boolean retryable) {
        String store = replicator.store().root().toString();
        if (failures == 0) {
            LOG.warn("{}; tracking events stay in {} and are sent {}", message, store, retryable
                    ? "when the server is back (or by `difflab sync --to " + replicator.server().uri() + "`)"
                    : "once the cause is fixed, by `difflab sync --to " + replicator.server().uri() + "`");
        } else {
            LOG.debug("still failing: {}", message);
        }
    }

    private void waitNanos(long nanos) {
        try {
            long millis = Math.max(1, nanos / 1_000_000);
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
