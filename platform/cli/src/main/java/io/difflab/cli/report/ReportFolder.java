package io.difflab.cli.report;

import io.difflab.kit.train.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A report is written into a temporary folder next to its destination and moved into place only
 * when complete: a failure leaves {@code reports/<name>/} as it was. Publishing replaces only the
 * entries the report writes (README.md, index.html, the csv files, grids/, plots/); anything else
 * in the folder (a committed sweep script, notes) stays.
 */
public final class ReportFolder {

    private ReportFolder() {
    }

    /** A new empty folder beside {@code destination}, on the same file system. */
    public static Path temporary(Path destination) throws IOException {
        Path parent = destination.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        return SharedFiles.createTempDirectory(parent, "." + destination.getFileName() + ".tmp-");
    }

    /**
     * Moves every entry of {@code staged} into {@code destination}, replacing same-named ones, then
     * removes the emptied {@code staged}; returns the names moved.
     */
    public static List<String> publish(Path staged, Path destination) throws IOException {
        Files.createDirectories(destination);
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(staged)) {
            for (Path entry : entries.sorted().toList()) {
                Path target = destination.resolve(entry.getFileName().toString());
                if (Files.isDirectory(target)) {
                    Path old = staged.resolveSibling(staged.getFileName() + ".old-" + entry.getFileName());
                    move(target, old);
                    move(entry, target);
                    delete(old);
                } else {
                    move(entry, target);
                }
                names.add(entry.getFileName().toString());
            }
        }
        Files.delete(staged);
        return names;
    }

    /** Deletes a folder and everything in it (no error when absent). */
    public static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
