package io.difflab.host.run;

import io.difflab.api.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Run folders: {@code <runs>/<name>-<yyyyMMdd-HHmmss>/}, holding the resolved spec and all outputs. */
public final class RunFolders {

    /** The resolved spec inside a run folder. */
    public static final String SPEC_FILE = "spec.yaml";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    /** Run folders under {@code root} (created when needed). */
    public RunFolders(Path root) {
        this.root = root;
    }

    /** Creates a new, empty folder for a run named {@code name} started at {@code now}. */
    public Path create(String name, LocalDateTime now) {
        String base = name + "-" + STAMP.format(now);
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new UserError("cannot create a run folder under " + root + ": it is a file, not a folder "
                    + "(give another --runs-dir)");
        }
        try {
            Files.createDirectories(root);
            for (int i = 1; ; i++) {
                Path dir = root.resolve(i == 1 ? base : base + "-" + i);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // two runs in the same second: take the next suffix
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create a run folder under " + root + ": " + describe(e), e);
        }
    }

    /** Removes a run folder this process just created, as long as it holds nothing but a spec. */
    public void discardEmpty(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            if (files.allMatch(f -> f.getFileName().toString().equals(SPEC_FILE))) {
                Files.deleteIfExists(dir.resolve(SPEC_FILE));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // cannot tell or cannot delete: keep it
        }
    }

    /** What went wrong with a file, in words: the JDK's messages of some exceptions are a bare path. */
    public static String describe(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
        return file == null ? reason : file + ": " + reason;
    }

    /** The most recent run folder of {@code name} holding a spec, if any. */
    public Optional<Path> latest(String name) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        String pattern = java.util.regex.Pattern.quote(name) + "-\\d{8}-\\d{6}(-\\d+)?";
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches(pattern))
                    .filter(d -> Files.isRegularFile(d.resolve(SPEC_FILE)))
                    .max(Comparator.comparing((Path d) -> stamp(d.getFileName().toString(), name))
                            .thenComparing(d -> suffix(d.getFileName().toString(), name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stamp(String folder, String name) {
        return folder.substring(name.length() + 1, name.length() + 16);
    }

    private static int suffix(String folder, String name) {
        String rest = folder.substring(name.length() + 16);
        return rest.isEmpty() ? 1 : Integer.parseInt(rest.substring(1));
    }
}
