package io.difflab.tracking.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The two ways the store writes, so that a process killed at any instant leaves every file
 * either as it was or as it should be: whole-file replacement by writing a temporary file and
 * renaming it over the target (meta.yaml, params, tags, artifacts), and single-call appends of
 * one complete line (metrics).
 */
public final class AtomicFiles {

    private static final java.util.Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}: written to a temporary file in {@code tmpDir}
     * (same file system, outside the folders MLflow reads), then renamed. The rename alone makes
     * the replacement atomic for a killed process; see {@link #writeDurably} for power cuts.
     */
    public static void write(Path target, byte[] content, Path tmpDir) throws IOException {
        write(target, content, tmpDir, false);
    }

    /** {@link #write(Path, byte[], Path)}, the content forced to the disk before the rename. */
    public static void writeDurably(Path target, String content, Path tmpDir) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), tmpDir, true);
    }

    private static void write(Path target, byte[] content, Path tmpDir, boolean force) throws IOException {
        Files.createDirectories(tmpDir);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = createTempFile(tmpDir);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A temporary file in {@code dir} that, once renamed into place, is readable by others as the
     * umask allows (rw-r--r--), like the run folder's own files: {@link Files#createTempFile} alone
     * makes it 0600, which an {@code mlflow ui} of another user cannot read.
     */
    public static Path createTempFile(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, "tmp-", ".part", PosixFilePermissions.asFileAttribute(SHARED));
        }
        return Files.createTempFile(dir, "tmp-", ".part");
    }

    /** {@link #write(Path, byte[], Path)} of UTF-8 text. */
    public static void write(Path target, String content, Path tmpDir) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), tmpDir);
    }

    /** Renames {@code source} over {@code target} atomically where the file system can. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Appends one line (ending with a newline, shorter than the 8 KiB the JDK writes in one
     * system call) to {@code target}: a kill cannot split it between two writes.
     */
    public static void appendLine(Path target, String line) throws IOException {
        if (!line.endsWith("\n")) {
            throw new IllegalArgumentException("a line ends with a newline");
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, line.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * Cuts an unterminated last line (left by a crash of the machine mid-write) so that the
     * next append starts a line of its own.
     *
     * @return the number of bytes removed
     */
    public static long dropPartialLastLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
            return size - keep;
        }
    }
}
