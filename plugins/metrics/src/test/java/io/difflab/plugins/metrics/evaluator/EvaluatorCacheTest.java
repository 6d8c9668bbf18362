package io.difflab.plugins.metrics.evaluator;

import ai.djl.Device;
import ai.djl.util.JsonUtils;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.plugins.metrics.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorCacheTest {

    private static final EvaluatorRecipe TINY = new EvaluatorRecipe(2, 32, 3e-3, 0L);
    private static final SyntheticImages TRAIN = SyntheticImages.create("bands/train", 256, 4, 1);
    private static final SyntheticImages TEST = SyntheticImages.create("bands/test", 128, 4, 2);

    @TempDir
    Path root;

    private final AtomicInteger trainings = new AtomicInteger();
    private final Progress.Factory counting = (label, total, unit) -> {
        trainings.incrementAndGet();
        return new Progress() {
            @Override
            public void step(long n, String status) { }

            @Override
            public void close() { }
        };
    };

    @Test
    void concurrentFirstUsesTrainOnceAndAgreeOnTheChecksum() throws Exception {
        EvaluatorCache cache = new EvaluatorCache(root, TINY, counting);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Evaluator>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(pool.submit(() -> cache.obtain(TRAIN, TEST, Device.cpu())));
        }
        List<String> checksums = new ArrayList<>();
        for (Future<Evaluator> f : results) {
            try (Evaluator e = f.get()) {
                checksums.add(e.manifest().sha256());
                assertTrue(e.manifest().testAccuracy() > 0.9, "accuracy " + e.manifest().testAccuracy());
            }
        }
        pool.shutdown();
        assertEquals(1, trainings.get());
        assertEquals(1, checksums.stream().distinct().count());

        Path folder = cache.folderFor(TRAIN, TEST);
        assertTrue(folder.getFileName().toString().matches("bands-[0-9a-f]{12}"), folder.toString());
        assertEquals(checksums.get(0), Sha256.ofFile(folder.resolve(EvaluatorManifest.PARAMETERS)));
        EvaluatorManifest manifest = JsonUtils.GSON.fromJson(
                Files.readString(folder.resolve(EvaluatorManifest.FILE), StandardCharsets.UTF_8), EvaluatorManifest.class);
        assertEquals(TINY, manifest.recipe());
        try (var leftovers = Files.list(root)) {
            assertEquals(List.of(folder.getFileName().toString(), folder.getFileName() + ".lock"),
                    leftovers.map(p -> p.getFileName().toString()).sorted().toList(), "no staging folders left");
        }
    }

    @Test
    void aReloadedEvaluatorEmbedsExactlyAsTheTrainedOne() throws Exception {
        EvaluatorCache cache = new EvaluatorCache(root, TINY, counting);
        int[] some = {0, 1, 2, 3, 77};
        Embedding trained;
        try (Evaluator e = cache.obtain(TRAIN, TEST, Device.cpu())) {
            trained = e.embed(TEST, some);
        }
        try (Evaluator e = cache.obtain(TRAIN, TEST, Device.cpu())) {
            Embedding loaded = e.embed(TEST, some);
            for (int i = 0; i < some.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(trained.features()[i], loaded.features()[i], 0);
                org.junit.jupiter.api.Assertions.assertArrayEquals(trained.probabilities()[i], loaded.probabilities()[i], 0);
            }
            assertEquals(EvaluatorNetwork.FEATURE_DIM, loaded.features()[0].length);
        }
        assertEquals(1, trainings.get());
    }

    @Test
    void aDamagedParameterFileIsRetrained() throws Exception {
        EvaluatorCache cache = new EvaluatorCache(root, TINY, counting);
        String first;
        try (Evaluator e = cache.obtain(TRAIN, TEST, Device.cpu())) {
            first = e.manifest().sha256();
        }
        Path params = cache.folderFor(TRAIN, TEST).resolve(EvaluatorManifest.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(params, bytes);
        assertNotEquals(first, Sha256.ofFile(params));
        try (Evaluator e = cache.obtain(TRAIN, TEST, Device.cpu())) {
            assertEquals(first, e.manifest().sha256(), "the same seed trains the same network");
        }
        assertEquals(2, trainings.get());
    }

    /**
     * A cached evaluator trained by another recipe is not used: the cache trains one by the new
     * recipe and then reuses that. (Whether the old one is kept beside it depends on how the cache
     * keys its folders; this asserts only what a user sees: which recipe made the evaluator they get.)
     */
    @Test
    void aChangedRecipeRetrainsAndTheRetrainedEvaluatorIsReused() throws Exception {
        EvaluatorRecipe changed = new EvaluatorRecipe(TINY.epochs(), TINY.batchSize(), TINY.learningRate() / 2, TINY.seed());
        String before;
        try (Evaluator e = new EvaluatorCache(root, TINY, counting).obtain(TRAIN, TEST, Device.cpu())) {
            before = e.manifest().sha256();
            assertEquals(TINY, e.manifest().recipe());
        }
        EvaluatorCache cache = new EvaluatorCache(root, changed, counting);
        String after;
        try (Evaluator e = cache.obtain(TRAIN, TEST, Device.cpu())) {
            after = e.manifest().sha256();
            assertEquals(changed, e.manifest().recipe(), "trained by the new recipe");
        }
        assertEquals(2, trainings.get(), "the recipe changed: trained again");
        assertNotEquals(before, after, "another learning rate, other parameters");
        EvaluatorManifest onDisk = JsonUtils.GSON.fromJson(Files.readString(cache.folderFor(TRAIN, TEST)
                .resolve(EvaluatorManifest.FILE), StandardCharsets.UTF_8), EvaluatorManifest.class);
        assertEquals(changed, onDisk.recipe());
        assertEquals(after, Sha256.ofFile(cache.folderFor(TRAIN, TEST).resolve(EvaluatorManifest.PARAMETERS)));

        try (Evaluator e = new EvaluatorCache(root, changed, counting).obtain(TRAIN, TEST, Device.cpu())) {
            assertEquals(after, e.manifest().sha256());
        }
        assertEquals(2, trainings.get(), "the same recipe again: loaded, not trained");
    }

    @Test
    void anUnlabeledDatasetIsAUserError() {
        SyntheticImages unlabeled = SyntheticImages.create("plain/train", 16, 1, 3);
        EvaluatorCache cache = new EvaluatorCache(root, TINY, counting);
        UserError e = assertThrows(UserError.class, () -> cache.obtain(unlabeled, TEST, Device.cpu()));
        assertTrue(e.getMessage().contains("no class labels"), e.getMessage());
    }

    @Test
    void aSelectionOfTheSameFilesGetsAnEvaluatorOfItsOwn() throws Exception {
        // the same files (same checksum), fewer images: a dataset.limit must not reuse the full data's evaluator
        io.difflab.api.ImageDataset fewer = firstImages(TRAIN, 64);
        assertEquals(TRAIN.checksum(), fewer.checksum());
        EvaluatorCache cache = new EvaluatorCache(root, TINY, counting);
        assertNotEquals(cache.folderFor(TRAIN, TEST), cache.folderFor(fewer, TEST));
        try (Evaluator full = cache.obtain(TRAIN, TEST, Device.cpu()); Evaluator part = cache.obtain(fewer, TEST, Device.cpu())) {
            assertEquals(2, trainings.get(), "each trained its own");
            assertEquals(DataFingerprint.of(TRAIN), full.manifest().trainData());
            assertEquals(DataFingerprint.of(fewer), part.manifest().trainData());
            assertEquals(DataFingerprint.of(TEST), part.manifest().testData());
        }
        try (Evaluator again = cache.obtain(fewer, TEST, Device.cpu())) {
            assertEquals(2, trainings.get(), "and is found again");
            assertEquals(DataFingerprint.of(fewer), again.manifest().trainData());
        }
    }

    /** The first {@code n} images of {@code data}, with its file checksum: what a dataset.limit selects. */
    private static io.difflab.api.ImageDataset firstImages(io.difflab.api.ImageDataset data, int n) {
        return new io.difflab.api.ImageDataset() {
            @Override public String id() { return data.id(); }
            @Override public int size() { return n; }
            @Override public io.difflab.api.ImageShape shape() { return data.shape(); }
            @Override public void copyImage(int index, float[] into, int offset) { data.copyImage(index, into, offset); }
            @Override public int label(int index) { return data.label(index); }
            @Override public int numClasses() { return data.numClasses(); }
            @Override public List<String> classNames() { return data.classNames(); }
            @Override public String checksum() { return data.checksum(); }
        };
    }
}
