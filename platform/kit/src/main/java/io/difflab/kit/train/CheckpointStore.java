package io.difflab.kit.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of one run under {@code <run>/checkpoints/step-NNNNNNNN/}. Each is written into a
 * hidden temporary folder and renamed into place in one atomic move, so a run killed at any moment
 * leaves only complete checkpoints; the newest {@code keep} are kept. Pruning first renames a
 * checkpoint to a hidden name, then deletes it, so a kill while deleting never leaves a visible
 * half checkpoint; a folder lacking any of the four files is not taken for a checkpoint. Folders
 * and files are readable by others as the umask allows (like every other file of a run).
 */
public final class CheckpointStore {

    private static final Pattern NAME = Pattern.compile("step-(\\d{8,})");

    private final Path root;
    private final int keep;

    public CheckpointStore(Path root, int keep) {
        this.root = root;
        this.keep = Math.max(1, keep);
    }

    /** The folder holding the checkpoints. */
    public Path root() {
        return root;
    }

    /** Writes a checkpoint atomically and prunes old ones. */
    public Checkpoint write(long step, NDList model, NDList ema, NDList optimizer, Properties state) {
        try {
            Files.createDirectories(root);
            String name = String.format("step-%08d", step);
            Path tmp = SharedFiles.createTempDirectory(root, "." + name + ".");
            encode(model, tmp.resolve(Checkpoint.MODEL));
            encode(ema, tmp.resolve(Checkpoint.EMA));
            FaultPoint.reach("checkpoint.write", root.getFileName() + "@" + step);
            encode(optimizer, tmp.resolve(Checkpoint.OPTIMIZER));
            try (OutputStream os = Files.newOutputStream(tmp.resolve(Checkpoint.STATE))) {
                state.store(os, "diffusion-lab checkpoint");
            }
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                discard(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
            return new Checkpoint(step, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + step + " under " + root, e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        return list().stream().max(Comparator.comparingLong(Checkpoint::step));
    }

    /** All complete checkpoints (folders holding all four files), oldest first. */
    public List<Checkpoint> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> {
                Matcher m = NAME.matcher(d.getFileName().toString());
                return m.matches() ? new Checkpoint(Long.parseLong(m.group(1)), d) : null;
            }).filter(c -> c != null && complete(c)).sorted(Comparator.comparingLong(Checkpoint::step)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + root, e);
        }
    }

    /** Reads one of a checkpoint's array lists into {@code manager}. */
    public static NDList read(Path file, NDManager manager) {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file))) {
            return NDList.decode(manager, is);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint file " + file, e);
        }
    }

    /** Reads a checkpoint's {@code state.properties}. */
    public static Properties readState(Checkpoint checkpoint) {
        Properties p = new Properties();
        try (InputStream is = Files.newInputStream(checkpoint.state())) {
            p.load(is);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint.state(), e);
        }
        return p;
    }

    private static boolean complete(Checkpoint c) {
        return Files.isRegularFile(c.model()) && Files.isRegularFile(c.ema()) && Files.isRegularFile(c.optimizer())
                && Files.isRegularFile(c.state());
    }

    private void prune() throws IOException {
        List<Checkpoint> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            discard(all.get(i).dir());
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith(".")).toList()) {
                deleteTree(d); // leftovers of a run killed while writing or pruning
            }
        }
    }

    /** Renames a checkpoint folder to a hidden name (one atomic step), then deletes it. */
    private void discard(Path dir) throws IOException {
        Path hidden = root.resolve(".pruned-" + dir.getFileName() + "-" + System.nanoTime());
        Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> files = Files.list(hidden)) {
            List<Path> inside = files.sorted().toList();
            for (int i = 0; i < inside.size(); i++) {
                Files.deleteIfExists(inside.get(i));
                if (i == 0) {
                    FaultPoint.reach("checkpoint.prune", root.getFileName() + "@" + stepOf(dir));
                }
            }
        }
        deleteTree(hidden);
    }

    private static String stepOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() ? Long.toString(Long.parseLong(m.group(1))) : dir.getFileName().toString();
    }

    private static void encode(NDList list, Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            list.encode(os);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
