package io.difflab.host.run;

import io.difflab.kit.train.SharedFiles;
import io.difflab.api.UserError;
import io.difflab.kit.train.CheckpointStore;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A finished training in a run folder: {@code trained.properties} (its {@link TrainingKey}), written
 * once the estimator and every auxiliary network reached their last step, beside their checkpoints
 * ({@code checkpoints/} and {@code checkpoints/<network>/}). Another run of the same key starts from
 * those checkpoints, linked into its own folder, instead of training again.
 */
public final class TrainedModel {

    /** The marker file in a run folder. */
    public static final String FILE = "trained.properties";

    /** How deep under the runs folder finished trainings are looked for ({@code runs/<sweep>/<cell>/}). */
    private static final int SEARCH_DEPTH = 3;

    private TrainedModel() {
    }

    /** Records that the training in {@code runDir} is complete, atomically. */
    public static void record(Path runDir, String key) {
        Path file = runDir.resolve(FILE);
        try {
            Path tmp = SharedFiles.createTempFile(runDir, "." + FILE, ".tmp");
            Files.writeString(tmp, "# the networks in checkpoints/ are fully trained\ntraining_key=" + key + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The training key recorded in {@code runDir}, if its training finished. */
    public static Optional<String> keyOf(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.ofNullable(p.getProperty("training_key"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The most recently finished training of {@code key} in any run folder under {@code runsRoot}. */
    public static Optional<Path> find(Path runsRoot, String key) {
        if (!Files.isDirectory(runsRoot)) {
            return Optional.empty();
        }
        List<Path> marked = new ArrayList<>();
        try {
            // a runs folder that is a symbolic link is searched where it points (the walk follows no
            // link, so it would see the link as a file), and what it finds named under runsRoot
            Path root = runsRoot.toRealPath();
            // other runs write (and rename away temporary files) meanwhile: what vanishes is passed over
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), SEARCH_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().equals(FILE)) {
                        marked.add(runsRoot.resolve(root.relativize(file.getParent())));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + runsRoot + " for trained models", e);
        }
        return marked.stream()
                .filter(dir -> keyOf(dir).filter(key::equals).isPresent())
                .filter(dir -> new CheckpointStore(dir.resolve("checkpoints"), 1).latest().isPresent())
                .max(Comparator.comparing(TrainedModel::finishedAt));
    }

    /**
     * Links the newest checkpoint of every network trained in {@code from} into {@code runDir}, with
     * the files beside it that describe the network (hard links where the file system allows, else
     * copies); what is already there is kept.
     *
     * @throws UserError when {@code from} holds no finished training of {@code key}
     */
    static void linkInto(Path from, Path runDir, String key) {
        if (!keyOf(from).filter(key::equals).isPresent()) {
            throw new UserError(from + " holds no finished training of this spec (training key "
                    + TrainingKey.shortForm(key) + "): cannot start from it");
        }
        try {
            for (Path store : stores(from.resolve("checkpoints"))) {
                Path storeTarget = runDir.resolve(from.relativize(store));
                Files.createDirectories(storeTarget);
                try (Stream<Path> files = Files.list(store)) {
                    // the files a network describes itself with (TrainableNetwork.files), beside its checkpoints
                    for (Path f : files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                        if (!Files.exists(storeTarget.resolve(f.getFileName()))) {
                            link(f, storeTarget.resolve(f.getFileName()));
                        }
                    }
                }
                Path latest = new CheckpointStore(store, 1).latest().orElseThrow().dir();
                Path target = runDir.resolve(from.relativize(latest));
                if (Files.isDirectory(target)) {
                    continue; // linked by an earlier attempt
                }
                Files.createDirectories(target.getParent());
                // a hidden folder moved into place at once: a kill leaves no half-linked checkpoint
                Path tmp = SharedFiles.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
                try (Stream<Path> files = Files.list(latest)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        link(f, tmp.resolve(f.getFileName()));
                    }
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link the checkpoints of " + from + " into " + runDir, e);
        }
    }

    /** The checkpoint folders under {@code root}: itself and each network's subfolder holding checkpoints. */
    private static List<Path> stores(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith(".") && !d.getFileName().toString()
                            .startsWith("step-"))
                    .filter(d -> new CheckpointStore(d, 1).latest().isPresent())
                    .toList();
        }
    }

    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException noLinks) {
            // no hard links on this file system (or across devices): a copy holds the same bytes
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileTime finishedAt(Path runDir) {
        try {
            return Files.getLastModifiedTime(runDir.resolve(FILE));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
