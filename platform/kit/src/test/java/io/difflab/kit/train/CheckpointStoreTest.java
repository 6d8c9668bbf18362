package io.difflab.kit.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints as a kill at any instant leaves them: only complete folders count, what a killed
 * write or prune left behind is invisible and cleared by the next write, and the files are
 * readable by others as ordinary files are.
 */
class CheckpointStoreTest {

    @TempDir
    Path root;

    private static Checkpoint write(CheckpointStore store, NDManager m, long step) {
        NDList weights = new NDList(m.create(new float[] {step, step + 1f}));
        return store.write(step, weights, weights, new NDList(m.create(new float[] {0f})), new Properties());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".difflab")).sorted().toList();
        }
    }

    @Test
    void aStepFolderMissingAFileIsNotACheckpoint() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            write(store, m, 4);
            Checkpoint eight = write(store, m, 8);
            Files.delete(eight.state()); // what a kill in the middle of deleting step-8 left before pruning renamed first
            assertEquals(4, store.latest().orElseThrow().step(), "the newest complete checkpoint");
            assertEquals(List.of(4L), store.list().stream().map(Checkpoint::step).toList());
        }
    }

    @Test
    void pruningLeavesNoVisibleRemainsAndTheNextWriteClearsHiddenOnes() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            write(store, m, 4);
            write(store, m, 8);
            write(store, m, 12);
            assertEquals(List.of("step-00000008", "step-00000012"), names());
            // what a kill leaves: a folder renamed for pruning, half deleted, and a half-written checkpoint
            Path pruned = Files.createDirectories(root.resolve(".pruned-step-00000004-1"));
            Files.writeString(pruned.resolve(Checkpoint.MODEL), "half");
            Path partial = Files.createDirectories(root.resolve(".step-00000016.123"));
            Files.writeString(partial.resolve(Checkpoint.MODEL), "half");
            assertEquals(List.of(8L, 12L), store.list().stream().map(Checkpoint::step).toList(), "hidden remains never count");
            write(store, m, 16);
            assertEquals(List.of("step-00000012", "step-00000016"), names());
        }
    }

    @Test
    void checkpointsAreReadableByOthersAsOrdinaryFilesAre() throws IOException {
        Path plainFile = Files.createFile(root.resolve("plain"));
        Path plainFolder = Files.createDirectory(root.resolve("folder"));
        Set<PosixFilePermission> filePermissions = Files.getPosixFilePermissions(plainFile);
        Set<PosixFilePermission> folderPermissions = Files.getPosixFilePermissions(plainFolder);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = write(new CheckpointStore(root.resolve("checkpoints"), 2), m, 1);
            assertEquals(folderPermissions, Files.getPosixFilePermissions(c.dir()), "as the umask allows, not 0700");
            for (Path f : List.of(c.model(), c.ema(), c.optimizer(), c.state())) {
                assertEquals(filePermissions, Files.getPosixFilePermissions(f), f.toString());
            }
            assertTrue(filePermissions.contains(PosixFilePermission.OWNER_READ));
        }
    }
}
