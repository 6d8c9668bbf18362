package io.difflab.tracking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The commit is read from git's files: branch refs, packed refs, detached heads, worktrees. */
class GitCommitTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    @Test
    void aBranchRefIsFollowedFromASubfolder() throws IOException {
        Path git = Files.createDirectories(tmp.resolve("repo/.git/refs/heads"));
        Files.writeString(tmp.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), SHA + "\n");
        assertEquals(Optional.of(SHA), GitCommit.of(Files.createDirectories(tmp.resolve("repo/a/b"))));
    }

    @Test
    void packedRefsAndDetachedHeadsAreRead() throws IOException {
        Files.createDirectories(tmp.resolve("repo/.git"));
        Files.writeString(tmp.resolve("repo/.git/HEAD"), "ref: refs/heads/dev\n");
        Files.writeString(tmp.resolve("repo/.git/packed-refs"), "# pack-refs\n" + SHA + " refs/heads/dev\n");
        assertEquals(Optional.of(SHA), GitCommit.of(tmp.resolve("repo")));
        Files.writeString(tmp.resolve("repo/.git/HEAD"), SHA + "\n");
        assertEquals(Optional.of(SHA), GitCommit.of(tmp.resolve("repo")));
    }

    @Test
    void aLinkedWorktreeReadsItsHeadAndTheCommonRefs() throws IOException {
        Path wt = Files.createDirectories(tmp.resolve("main/.git/worktrees/feature"));
        Files.createDirectories(tmp.resolve("main/.git/refs/heads"));
        Files.writeString(wt.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(wt.resolve("commondir"), "../..\n");
        Files.writeString(tmp.resolve("main/.git/refs/heads/feature"), SHA + "\n");
        Files.createDirectories(tmp.resolve("feature"));
        Files.writeString(tmp.resolve("feature/.git"), "gitdir: " + wt + "\n");
        assertEquals(Optional.of(SHA), GitCommit.of(tmp.resolve("feature")));
    }

    @Test
    void aFolderOutsideACheckoutHasNoCommit() {
        assertEquals(Optional.empty(), GitCommit.of(tmp.resolve("nowhere")));
    }
}
