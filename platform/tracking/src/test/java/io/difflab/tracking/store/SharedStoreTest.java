package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store shared by several machines (a cluster sweep's journal on a shared mount): a run whose
 * owner is on another host is never taken for killed, and a retry on this host may continue it.
 */
class SharedStoreTest {

    @TempDir
    Path tmp;

    @Test
    void aRunOwnedOnAnotherHostIsLeftRunningAndCanBeContinuedHere() throws Exception {
        FileStore store = new FileStore(tmp.resolve("mlruns"));
        LocalTracker here = new LocalTracker(store, new Redactor(List.of()), tmp);
        LocalRun elsewhere = here.startRun("shared", "cell", null, Map.of());
        long deadPid = ProcessHandle.current().pid() + 1_000_000; // no such process on this host either
        new RunOwner(deadPid, 1L, "another-host").write(elsewhere.files());

        RunOwner owner = RunOwner.read(elsewhere.files()).orElseThrow();
        assertFalse(owner.onThisHost());
        assertFalse(owner.alive(), "its pid means nothing here");
        assertFalse(owner.gone(), "nor can this host tell that it ended");

        new LocalTracker(store, new Redactor(List.of()), tmp).startRun("shared", "other cell", null, Map.of())
                .end(RunStatus.FINISHED);
        assertEquals(RunStatus.RUNNING, store.run(elsewhere.id()).orElseThrow().meta().status(),
                "another process's start does not mark it KILLED");
        assertEquals(List.of(), StaleRuns.markKilled(store));

        LocalRun retried = new LocalTracker(store, new Redactor(List.of()), tmp).resumeRun(elsewhere.id());
        assertTrue(RunOwner.read(retried.files()).orElseThrow().isCurrentProcess(), "the retry owns it now");
        retried.end(RunStatus.FINISHED);
        StoredRun done = store.run(elsewhere.id()).orElseThrow();
        assertEquals(RunStatus.FINISHED, done.meta().status());
        assertEquals("1", done.tags().get(LocalTracker.RESUME_COUNT_TAG));
    }

    @Test
    void anOwnerRecordedWithoutAHostIsOnThisHostAndADeadOneIsGone() throws Exception {
        FileStore store = new FileStore(tmp.resolve("mlruns"));
        LocalRun run = new LocalTracker(store, new Redactor(List.of()), tmp).startRun("old", "run", null, Map.of());
        long deadPid = ProcessHandle.current().pid() + 1_000_000;
        Files.writeString(run.files().ownerFile(), "pid=" + deadPid + "\nstarted_at=1\n"); // written before hosts were

        RunOwner owner = RunOwner.read(run.files()).orElseThrow();
        assertTrue(owner.onThisHost());
        assertTrue(owner.gone());
        assertEquals(List.of(run.id()), StaleRuns.markKilled(store));
        assertEquals(RunStatus.KILLED, store.run(run.id()).orElseThrow().meta().status());
    }
}
