package io.difflab.datasets.shapes.evaluator;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.difflab.api.Progress;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Trained scene evaluators on disk, one per (train split checksum, image side): a folder
 * {@code <root>/scene-evaluator-<side>px-<checksum prefix>/} with the parameters and
 * {@link SceneEvaluatorManifest#FILE}, like the metrics plugin's evaluator cache. An entry is used
 * only when its recipe and train checksum are the ones asked for and its parameters hash to the
 * recorded SHA-256; otherwise it is trained again. Writers hold a lock file and publish by renaming
 * a finished folder, so concurrent first uses train once and never read half an entry.
 */
public final class SceneEvaluatorCache {

    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private final Path root;
    private final SceneEvaluatorRecipe recipe;
    private final Progress.Factory progress;

    /** A cache in {@code root} whose evaluators are trained by {@code recipe}. */
    public SceneEvaluatorCache(Path root, SceneEvaluatorRecipe recipe, Progress.Factory progress) {
        this.root = root;
        this.recipe = recipe;
        this.progress = progress;
    }

    /**
     * The platform's evaluator cache: {@code -Ddifflab.cache.dir}, else {@code $DIFFLAB_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/difflab}, else {@code ~/.cache/difflab}, then {@code evaluators/}.
     */
    public static Path defaultRoot() {
        String dir = System.getProperty("difflab.cache.dir", System.getenv("DIFFLAB_CACHE_DIR"));
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve("evaluators");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("difflab").resolve("evaluators");
    }

    /** The folder of the evaluator of {@code train}. */
    public Path folderFor(ShapesCaptionsDataset train) {
        String checksum = String.valueOf(train.checksum());
        return root.resolve("scene-evaluator-" + train.shape().height() + "px-"
                + checksum.substring(0, Math.min(12, checksum.length())));
    }

    /** The evaluator of {@code train} on {@code device}: loaded, or trained and measured on {@code test} first. */
    public SceneEvaluator obtain(ShapesCaptionsDataset train, ShapesCaptionsDataset test, Device device) {
        Path folder = folderFor(train);
        // a file lock keeps other processes out; threads of this JVM wait here (FileChannel.lock would throw)
        synchronized (JVM_LOCKS.computeIfAbsent(folder.toAbsolutePath().normalize(), k -> new Object())) {
            try {
                Files.createDirectories(root);
                try (FileChannel channel = FileChannel.open(root.resolve(folder.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    SceneEvaluator cached = load(folder, train, device);
                    return cached != null ? cached : trainAndPublish(folder, train, test, device);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("scene evaluator cache " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** The cached evaluator, or null when absent, stale or damaged. */
    SceneEvaluator load(Path folder, ShapesCaptionsDataset train, Device device) throws IOException {
        Path json = folder.resolve(SceneEvaluatorManifest.FILE);
        Path params = folder.resolve(SceneEvaluatorManifest.PARAMETERS);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(params)) {
            return null;
        }
        SceneEvaluatorManifest manifest;
        try {
            manifest = GSON.fromJson(Files.readString(json, StandardCharsets.UTF_8), SceneEvaluatorManifest.class);
        } catch (RuntimeException e) {
            return null;
        }
        if (manifest == null || !recipe.equals(manifest.recipe()) || manifest.side() != train.shape().height()
                || !String.valueOf(train.checksum()).equals(manifest.trainChecksum())
                || !Sha256.ofFile(params).equals(manifest.sha256())) {
            return null;
        }
        NDManager manager = NDManager.newBaseManager(device);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            SequentialBlock block = SceneEvaluatorNetwork.create(manifest.side());
            block.initialize(manager, DataType.FLOAT32, train.shape().batch(1));
            block.loadParameters(manager, in);
            return new SceneEvaluator(manager, block, manifest);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            manager.close();
            return null;
        }
    }

    private SceneEvaluator trainAndPublish(Path folder, ShapesCaptionsDataset train, ShapesCaptionsDataset test,
                                           Device device) throws IOException {
        long start = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(device);
        Path staging = Files.createTempDirectory(root, "." + folder.getFileName() + ".");
        try {
            SequentialBlock block = new SceneEvaluatorTrainer(recipe, progress).train(manager, train,
                    staging.resolve("checkpoints"));
            double seconds = (System.nanoTime() - start) / 1e9;
            deleteTree(staging.resolve("checkpoints"));
            Path params = staging.resolve(SceneEvaluatorManifest.PARAMETERS);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(params)))) {
                block.saveParameters(out);
            }
            SceneAccuracy accuracy = SceneEvaluation.accuracy(new SceneEvaluator(manager, block, null), test);
            SceneEvaluatorManifest manifest = new SceneEvaluatorManifest(train.id(), train.shape().height(),
                    train.checksum(), test.checksum(), Sha256.ofFile(params), accuracy, seconds, recipe);
            Files.writeString(staging.resolve(SceneEvaluatorManifest.FILE), GSON.toJson(manifest),
                    StandardCharsets.UTF_8);
            deleteTree(folder);
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            return new SceneEvaluator(manager, block, manifest);
        } catch (IOException | RuntimeException e) {
            manager.close();
            deleteTree(staging);
            throw e;
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
