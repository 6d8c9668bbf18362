package io.difflab.plugins.metrics.evaluator;

import io.difflab.kit.train.SharedFiles;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.JsonUtils;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;
import io.difflab.api.UserError;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folder of trained evaluators, one per train split, test split and recipe:
 * {@code <root>/<dataset>-<key prefix>/} holding the parameters and {@link EvaluatorManifest#FILE},
 * where the key hashes the {@link DataFingerprint}s of both splits (so a {@code dataset.limit} or
 * {@code classes} selection of the same files gets an evaluator of its own) and the recipe. The first use trains and writes it;
 * later uses (in any process) load it. Writers hold a lock file and publish by writing a temporary
 * folder and renaming it atomically, so concurrent first uses train once and never see half a file.
 */
public final class EvaluatorCache {

    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final EvaluatorRecipe recipe;
    private final Progress.Factory progress;

    /** A cache in {@code root} whose evaluators are trained by {@code recipe}. */
    public EvaluatorCache(Path root, EvaluatorRecipe recipe, Progress.Factory progress) {
        this.root = root;
        this.recipe = recipe;
        this.progress = progress;
    }

    /**
     * The default root: {@code -Ddifflab.cache.dir}, else {@code $DIFFLAB_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/difflab}, else {@code ~/.cache/difflab}; evaluators live in its
     * {@code evaluators/} folder.
     */
    public static Path defaultRoot() {
        String dir = System.getProperty("difflab.cache.dir", System.getenv("DIFFLAB_CACHE_DIR"));
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
            return base.resolve("difflab").resolve("evaluators");
        }
        return Path.of(dir).resolve("evaluators");
    }

    /** The folder of the evaluator for {@code train} tested on {@code test}: dataset name and 12 digits of the key. */
    public Path folderFor(ImageDataset train, ImageDataset test) {
        String name = EvaluatorTrainer.datasetName(train.id()).replaceAll("[^0-9A-Za-z._-]", "_");
        return root.resolve(name + "-" + key(train, test).substring(0, 12));
    }

    /** SHA-256 of what shapes an evaluator and its reported accuracy: both splits' contents and the recipe. */
    private String key(ImageDataset train, ImageDataset test) {
        String text = DataFingerprint.of(train) + "|" + DataFingerprint.of(test) + "|" + recipe;
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The evaluator of {@code train}, loaded from the cache or trained (and tested on {@code test}) first. */
    public Evaluator obtain(ImageDataset train, ImageDataset test, Device device) {
        if (train.numClasses() < 2) {
            throw new UserError("the evaluation metrics train a classifier on the dataset, but "
                    + train.id() + " has no class labels; use a labeled dataset or drop fd, is, "
                    + "precision, recall and cond-accuracy from the spec's metrics");
        }
        Path folder = folderFor(train, test);
        synchronized (JVM_LOCKS.computeIfAbsent(folder.toAbsolutePath().normalize(), k -> new Object())) {
            try {
                Files.createDirectories(root);
                Path lockFile = root.resolve(folder.getFileName() + ".lock");
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    Evaluator cached = load(folder, train, test, device);
                    return cached != null ? cached : trainAndPublish(folder, train, test, device);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("evaluator cache " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** Loads the cached evaluator, or returns null when absent, stale or damaged. */
    private Evaluator load(Path folder, ImageDataset train, ImageDataset test, Device device) throws IOException {
        Path json = folder.resolve(EvaluatorManifest.FILE);
        Path params = folder.resolve(EvaluatorManifest.PARAMETERS);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(params)) {
            return null;
        }
        EvaluatorManifest manifest;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            manifest = JsonUtils.GSON.fromJson(reader, EvaluatorManifest.class);
        } catch (RuntimeException e) {
            return null;
        }
        if (manifest == null || !recipe.equals(manifest.recipe())
                || !String.valueOf(train.checksum()).equals(manifest.trainChecksum())
                || !DataFingerprint.of(train).equals(manifest.trainData())
                || !DataFingerprint.of(test).equals(manifest.testData())
                || !Sha256.ofFile(params).equals(manifest.sha256())) {
            return null;
        }
        Model model = Model.newInstance("evaluator", device);
        try {
            EvaluatorNetwork network = EvaluatorNetwork.create(manifest.numClasses());
            model.setBlock(network.network());
            network.network().initialize(model.getNDManager(), DataType.FLOAT32, train.shape().batch(1));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
                network.network().loadParameters(model.getNDManager(), in);
            }
            return new Evaluator(model, network, manifest);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            return null;
        }
    }

    private Evaluator trainAndPublish(Path folder, ImageDataset train, ImageDataset test, Device device)
            throws IOException {
        long start = System.nanoTime();
        Model model = Model.newInstance("evaluator", device);
        Path staging = null;
        try {
            EvaluatorNetwork network = new EvaluatorTrainer(recipe, progress).train(model, train);
            double seconds = (System.nanoTime() - start) / 1e9;
            staging = SharedFiles.createTempDirectory(root, "." + folder.getFileName() + ".");
            Path params = staging.resolve(EvaluatorManifest.PARAMETERS);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(params)))) {
                network.network().saveParameters(out);
            }
            Evaluator unsealed = new Evaluator(model, network, null);
            double accuracy = EvaluatorTrainer.accuracy(unsealed, test);
            EvaluatorManifest manifest = new EvaluatorManifest(EvaluatorTrainer.datasetName(train.id()),
                    train.checksum(), test.checksum(), train.numClasses(), train.shape().channels(),
                    train.shape().height(), train.shape().width(), Sha256.ofFile(params), accuracy, seconds, recipe,
                    DataFingerprint.of(train), DataFingerprint.of(test));
            Files.writeString(staging.resolve(EvaluatorManifest.FILE), JsonUtils.GSON_PRETTY.toJson(manifest),
                    StandardCharsets.UTF_8);
            deleteTree(folder);
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            return new Evaluator(model, network, manifest);
        } catch (IOException | RuntimeException e) {
            model.close();
            if (staging != null) {
                deleteTree(staging);
            }
            throw e;
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
