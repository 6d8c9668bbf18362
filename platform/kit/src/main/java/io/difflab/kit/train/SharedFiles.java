package io.difflab.kit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary files and folders (written, then renamed into place) with the permissions an ordinary
 * file gets: rw-r--r-- and rwxr-xr-x as the umask allows, where {@link Files#createTempFile} alone
 * would leave them private to the owner (0600, 0700) after the rename, unreadable to another user's
 * {@code mlflow ui} or to a colleague sharing the runs folder.
 */
public final class SharedFiles {

    private static final FileAttribute<?> FILE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-r--r--"));
    private static final FileAttribute<?> FOLDER = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x"));

    private SharedFiles() {
    }

    /** {@link Files#createTempFile(Path, String, String, FileAttribute[])}, readable by others where POSIX. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return posix(dir) ? Files.createTempFile(dir, prefix, suffix, FILE) : Files.createTempFile(dir, prefix, suffix);
    }

    /** {@link Files#createTempDirectory(Path, String, FileAttribute[])}, readable by others where POSIX. */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        return posix(dir) ? Files.createTempDirectory(dir, prefix, FOLDER) : Files.createTempDirectory(dir, prefix);
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
