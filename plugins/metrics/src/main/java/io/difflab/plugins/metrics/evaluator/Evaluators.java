package io.difflab.plugins.metrics.evaluator;

import ai.djl.Device;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluators and reference embeddings of this JVM, shared by every metric: each evaluator is
 * loaded (or trained) once per cache folder and device, and each reference set (a split, or a
 * fixed subset of it) is embedded once per evaluator.
 */
public final class Evaluators {

    /** Seed of the fixed reference subsets, the same for every run so their numbers compare. */
    static final long SUBSET_SEED = 0x5EEDL;

    private static final Map<String, Evaluator> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, Embedding> REFERENCES = new ConcurrentHashMap<>();

    private Evaluators() { }

    /** The evaluator of {@code train} on {@code device}, from the default cache root. */
    public static Evaluator get(ImageDataset train, ImageDataset test, Device device, Progress.Factory progress) {
        EvaluatorCache cache = new EvaluatorCache(EvaluatorCache.defaultRoot(), EvaluatorRecipe.STANDARD, progress);
        Path folder = cache.folderFor(train, test).toAbsolutePath().normalize();
        return LOADED.computeIfAbsent(folder + "@" + device, k -> cache.obtain(train, test, device));
    }

    /** The embedding of all of {@code dataset}. */
    public static Embedding embedAll(Evaluator evaluator, ImageDataset dataset) {
        return embedSubset(evaluator, dataset, dataset.size());
    }

    /**
     * The embedding of a fixed subset of {@code count} images of {@code dataset} (all of it when
     * {@code count} is at least its size), drawn with a fixed seed.
     */
    public static Embedding embedSubset(Evaluator evaluator, ImageDataset dataset, int count) {
        int n = Math.min(count, dataset.size());
        String key = evaluator.manifest().sha256() + "|" + dataset.id() + "|" + dataset.checksum() + "|" + n;
        return REFERENCES.computeIfAbsent(key, k -> evaluator.embed(dataset, subset(dataset.size(), n)));
    }

    /** The first {@code n} of a fixed-seed permutation of 0..size−1 (in order when n = size). */
    public static int[] subset(int size, int n) {
        int[] all = new int[size];
        Arrays.setAll(all, i -> i);
        if (n >= size) {
            return all;
        }
        Random random = new Random(SUBSET_SEED);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, n);
    }
}
