package io.difflab.datasets.shapes;

import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The generated splits on disk, one file per (seed, side, split, count) with its SHA-256 beside it
 * ({@code <name>.bin}, {@code <name>.bin.sha256}), in {@code $XDG_CACHE_HOME/difflab/datasets/shapes-captions/}
 * (by default under {@code ~/.cache}) or a configured folder. A file is used only when its bytes
 * hash to the recorded SHA-256 and it parses; otherwise (missing, truncated, altered) the split is
 * generated again and the file replaced. Files are written to a temporary name and renamed, so a
 * reader never sees a partial file, and concurrent writers write the same bytes.
 */
final class ShapesCache {

    private static final Logger LOG = LoggerFactory.getLogger(ShapesCache.class);

    private final Path folder;

    ShapesCache(Path folder) {
        this.folder = folder;
    }

    /** {@code $XDG_CACHE_HOME/difflab/datasets/shapes-captions}, by default under {@code ~/.cache}. */
    static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("difflab").resolve("datasets").resolve("shapes-captions");
    }

    /** The file of a split. */
    Path file(long seed, int side, Split split, int count) {
        return folder.resolve(String.format(Locale.ROOT, "v%d-seed%d-%dpx-%s-%d.bin", ShapesFile.VERSION, seed, side,
                split.name().toLowerCase(Locale.ROOT), count));
    }

    /** The split, read from the cache when intact, else generated and written there. */
    ShapesFile.Read obtain(long seed, int side, Split split, int count) {
        Path file = file(seed, side, split, count);
        Path sha = checksumFile(file);
        try {
            String recorded = Files.readString(sha, StandardCharsets.US_ASCII).trim();
            ShapesFile.Read read = ShapesFile.read(file, side, count);
            if (read.sha256().equals(recorded)) {
                return read;
            }
            LOG.warn("{} is damaged (SHA-256 {} instead of {}); generating it again", file, read.sha256(), recorded);
        } catch (NoSuchFileException e) {
            LOG.debug("{} is not cached yet", file);
        } catch (IOException e) {
            LOG.warn("{} is damaged ({}); generating it again", file, e.getMessage());
        }
        long start = System.nanoTime();
        ShapesSplit generated = ShapesGenerator.generate(seed, split, count, side);
        LOG.info("generated {} {} images of shapes-captions in {} ms", count, split.name().toLowerCase(Locale.ROOT),
                (System.nanoTime() - start) / 1_000_000);
        return new ShapesFile.Read(generated, store(generated, file));
    }

    /** Writes {@code split} to {@code file} and its checksum beside it; returns the checksum. */
    private String store(ShapesSplit split, Path file) {
        try {
            Files.createDirectories(folder);
            Path part = Files.createTempFile(folder, file.getFileName() + ".", ".part");
            Path shaPart = Files.createTempFile(folder, file.getFileName() + ".", ".sha256.part");
            try {
                String sha256 = ShapesFile.write(split, part);
                Files.writeString(shaPart, sha256 + "\n", StandardCharsets.US_ASCII);
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(shaPart, checksumFile(file), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                return sha256;
            } finally {
                Files.deleteIfExists(part);
                Files.deleteIfExists(shaPart);
            }
        } catch (IOException e) {
            throw new UserError("cannot write the shapes-captions cache " + file + ": " + e.getMessage()
                    + " (set dataset.folder to a writable folder)", e);
        }
    }

    static Path checksumFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }
}
