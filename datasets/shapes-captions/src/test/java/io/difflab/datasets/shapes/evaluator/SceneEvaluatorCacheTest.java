package io.difflab.datasets.shapes.evaluator;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.datasets.shapes.TestSplits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A cache entry is used only when it is intact and made for this dataset and recipe (no training here). */
class SceneEvaluatorCacheTest {

    @TempDir
    Path root;

    private ShapesCaptionsDataset train;
    private SceneEvaluatorCache cache;
    private Path folder;

    @BeforeEach
    void writeAnEntry() throws IOException {
        train = TestSplits.load(root.resolve("data"), Split.TRAIN, Map.of("train_size", 64));
        cache = new SceneEvaluatorCache(root.resolve("evaluators"), SceneEvaluatorRecipe.STANDARD,
                StderrProgress.FACTORY);
        folder = cache.folderFor(train);
        Files.createDirectories(folder);
        Path params = folder.resolve(SceneEvaluatorManifest.PARAMETERS);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock block = SceneEvaluatorNetwork.create(32);
            block.initialize(manager, DataType.FLOAT32, train.shape().batch(1));
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(params))) {
                block.saveParameters(out);
            }
        }
        writeManifest(SceneEvaluatorRecipe.STANDARD, train.checksum());
    }

    private void writeManifest(SceneEvaluatorRecipe recipe, String trainChecksum) throws IOException {
        SceneEvaluatorManifest manifest = new SceneEvaluatorManifest(train.id(), 32, trainChecksum, "test",
                Sha256.ofFile(folder.resolve(SceneEvaluatorManifest.PARAMETERS)),
                new SceneAccuracy(1, 1, 1, 1, 1, 1, 1), 1.0, recipe);
        Files.writeString(folder.resolve(SceneEvaluatorManifest.FILE), SceneEvaluatorCache.GSON.toJson(manifest));
    }

    @Test
    void anIntactEntryLoadsAndReadsImages() throws IOException {
        try (SceneEvaluator evaluator = cache.load(folder, train, Device.cpu())) {
            assertNotNull(evaluator);
            assertEquals(train.checksum(), evaluator.manifest().trainChecksum());
            assertEquals(3, evaluator.read(train, new int[] {0, 1, 2}).size());
        }
    }

    @Test
    void damagedParametersAreNotUsed() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(folder.resolve(SceneEvaluatorManifest.PARAMETERS).toFile(),
                "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 1);
        }
        assertNull(cache.load(folder, train, Device.cpu()));
    }

    @Test
    void anEntryOfAnotherRecipeOrDatasetOrABrokenManifestIsNotUsed() throws IOException {
        writeManifest(new SceneEvaluatorRecipe(10, 8, 1e-3, 0, 0.9, 1), train.checksum());
        assertNull(cache.load(folder, train, Device.cpu()));
        writeManifest(SceneEvaluatorRecipe.STANDARD, "0".repeat(64));
        assertNull(cache.load(folder, train, Device.cpu()));
        Files.writeString(folder.resolve(SceneEvaluatorManifest.FILE), "{not json");
        assertNull(cache.load(folder, train, Device.cpu()));
    }
}
