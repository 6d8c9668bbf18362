package io.difflab.host.run;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A runs folder that cannot hold run folders says why, in words. */
class RunFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void aFileWhereTheRunsFolderShouldBeIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("runs"), "x");
        UserError e = assertThrows(UserError.class, () -> new RunFolders(file).create("a", LocalDateTime.now()));
        assertEquals("cannot create a run folder under " + file + ": it is a file, not a folder (give another "
                + "--runs-dir)", e.getMessage());
    }

    @Test
    void aReadOnlyRunsFolderSaysPermissionDenied() throws Exception {
        assertEquals("/x/runs: permission denied", RunFolders.describe(new AccessDeniedException("/x/runs")));
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        if (readOnly.toFile().setWritable(false, false) && !Files.isWritable(readOnly)) { // root may write anyway
            UserError e = assertThrows(UserError.class, () -> new RunFolders(readOnly).create("a", LocalDateTime.now()));
            assertTrue(e.getMessage().endsWith(": permission denied"), e.getMessage());
        }
    }

    @Test
    void onlyARunFolderHoldingNothingButItsSpecIsDiscarded() throws Exception {
        RunFolders folders = new RunFolders(tmp.resolve("runs"));
        Path empty = folders.create("a", LocalDateTime.now());
        Files.writeString(empty.resolve(RunFolders.SPEC_FILE), "name: a\n");
        folders.discardEmpty(empty);
        assertTrue(Files.notExists(empty));
        Path used = folders.create("b", LocalDateTime.now());
        Files.writeString(used.resolve(RunFolders.SPEC_FILE), "name: b\n");
        Files.writeString(used.resolve("samples.png"), "x");
        folders.discardEmpty(used);
        assertTrue(Files.isDirectory(used), "what a run wrote is kept");
    }
}
