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
 * leaves only complete checkpoints; the newest {@code keep} are kept.
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
            Path tmp = Files.createTempDirectory(root, "." + name + ".");
            encode(model, tmp.resolve(Checkpoint.MODEL));
            encode(ema, tmp.resolve(Checkpoint.EMA));
            encode(optimizer, tmp.resolve(Checkpoint.OPTIMIZER));
            try (OutputStream os = Files.newOutputStream(tmp.resolve(Checkpoint.STATE))) {
                state.store(os, "diffusion-lab checkpoint");
            }
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
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

    /** All complete checkpoints, oldest first. */
    public List<Checkpoint> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> {
                Matcher m = NAME.matcher(d.getFileName().toString());
                return m.matches() ? new Checkpoint(Long.parseLong(m.group(1)), d) : null;
            }).filter(c -> c != null).sorted(Comparator.comparingLong(Checkpoint::step)).toList();
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

    private void prune() throws IOException {
        List<Checkpoint> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i).dir());
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith(".step-")).toList()) {
                deleteTree(d); // leftovers of a run killed while writing
            }
        }
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
