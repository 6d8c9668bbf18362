package io.difflab.kit.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Named;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.kit.text.WordTokenizer;
import io.difflab.kit.text.WordVocabulary;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipReferenceTest {

    /** A registry holding the word tokenizer only. */
    static final ExtensionRegistry REGISTRY = new ExtensionRegistry() {
        @Override
        public <T extends Named> T get(Class<T> point, String name) {
            if (point == Tokenizer.class && name.equals("word")) {
                return point.cast(new WordTokenizer());
            }
            throw new UserError("no " + point.getSimpleName() + " named " + name);
        }

        @Override
        public <T extends Named> List<T> all(Class<T> point) {
            return List.of();
        }
    };

    private final NDManager manager = NDManager.newBaseManager();

    @TempDir
    Path runs;

    @AfterEach
    void close() {
        manager.close();
    }

    /** A run folder whose primary network is a CLIP, as the clip model family leaves it; its session. */
    private TrainingSession writeRun(Path run, boolean finished) throws Exception {
        WordVocabulary vocabulary = WordVocabulary.build(List.of("a red circle", "two blue squares"), 1, 0, 6);
        ClipArchitecture a = new ClipArchitecture(3, 8, 4, 8, 1, 2, 0, "", vocabulary.size(), 6, 8, 1, 2, true,
                io.difflab.kit.nn.TextTransformer.Pooling.END_TOKEN, 4, "word", "vocabulary.txt");
        ClipNetwork network = new ClipNetwork(a);
        Engine.getInstance().setRandomSeed(4);
        network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
        TrainingSession session = new TrainingSession(network, manager);
        Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
        session.checkpoint(new CheckpointStore(checkpoints, 2), 7, new Properties());
        ClipReference.writeArchitecture(a, checkpoints.resolve(ClipArchitecture.FILE));
        vocabulary.save(checkpoints.resolve("vocabulary.txt"));
        if (finished) {
            Files.writeString(run.resolve(ClipReference.FINISHED), "training_key=x\n");
        }
        return session;
    }

    @Test
    void aRunFolderGivesItsTrainedClipAndVocabulary() throws Exception {
        Path run = runs.resolve("clip-shapes-20250101-120000");
        TrainingSession session = writeRun(run, true);
        NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        TrainedClip inMemory = new TrainedClip((ClipNetwork) session.block(), session.ema().parameterStore(manager), 3);
        float[] expected = inMemory.imageFeatures(images).toFloatArray();
        try (LoadedClip loaded = ClipReference.load(run.toString(), REGISTRY, Device.cpu())) {
            assertArrayEquals(expected, loaded.model().imageFeatures(images).toFloatArray(), 1e-6f);
            assertEquals(6, loaded.vocabulary().contextLength());
            NDArray text = loaded.captionFeatures(manager, List.of("a red circle", "two blue squares"));
            assertEquals(new Shape(2, 4), text.getShape());
            assertTrue(loaded.source().contains("step-00000007"), loaded.source());
        }
    }

    @Test
    void aRunNameGivesItsNewestFinishedRun() throws Exception {
        writeRun(runs.resolve("clip-shapes-20250101-120000"), true);
        writeRun(runs.resolve("clip-shapes-20250102-090000"), true);
        writeRun(runs.resolve("clip-shapes-20250103-090000"), false); // still training
        writeRun(runs.resolve("clip-shapes-long-20250104-090000"), true); // another name
        assertEquals(runs.resolve("clip-shapes-20250102-090000"),
                ClipReference.newestRun(runs.resolve("clip-shapes")).orElseThrow());
        try (LoadedClip loaded = ClipReference.load(runs.resolve("clip-shapes").toString(), REGISTRY, Device.cpu())) {
            assertTrue(loaded.source().contains("clip-shapes-20250102-090000"), loaded.source());
        }
    }

    @Test
    void theVocabularyAloneEncodesAsTheLoadedClipsDoes() throws Exception {
        writeRun(runs.resolve("clip-shapes-20250101-120000"), true);
        String name = runs.resolve("clip-shapes").toString();
        try (LoadedClip loaded = ClipReference.load(name, REGISTRY, Device.cpu());
             io.difflab.api.Vocabulary alone = ClipReference.vocabulary(name, REGISTRY, ai.djl.Device.cpu())) {
            assertEquals(loaded.vocabulary().size(), alone.size());
            assertArrayEquals(loaded.vocabulary().encode("two red squares"), alone.encode("two red squares"));
        }
        assertThrows(UserError.class, () -> ClipReference.vocabulary(runs.resolve("nothing").toString(), REGISTRY,
                ai.djl.Device.cpu()));
    }

    @Test
    void theArchitectureAloneIsTheLoadedClipsWithoutItsWeights() throws Exception {
        writeRun(runs.resolve("clip-shapes-20250101-120000"), true);
        String name = runs.resolve("clip-shapes").toString();
        ClipArchitecture alone = ClipReference.architecture(name).orElseThrow();
        try (LoadedClip loaded = ClipReference.load(name, REGISTRY, Device.cpu())) {
            assertEquals(loaded.model().embeddingSize(), alone.embeddingSize());
            assertEquals(loaded.model().noiseAware(), alone.noiseAware());
        }
        Path file = Files.writeString(runs.resolve("clip.pt"), "a TorchScript file is not read here");
        assertTrue(ClipReference.architecture(file.toString()).isEmpty(), "only loading tells a TorchScript CLIP's shape");
        assertThrows(UserError.class, () -> ClipReference.architecture(runs.resolve("nothing").toString()));
    }

    @Test
    void whatIsNoClipIsRefusedWithItsReason() throws Exception {
        UserError none = assertThrows(UserError.class,
                () -> ClipReference.load(runs.resolve("nothing").toString(), REGISTRY, Device.cpu()));
        assertTrue(none.getMessage().contains("nothing-<yyyyMMdd-HHmmss>"), none.getMessage());
        Path empty = Files.createDirectories(runs.resolve("empty-run"));
        UserError noClip = assertThrows(UserError.class, () -> ClipReference.load(empty.toString(), REGISTRY,
                Device.cpu()));
        assertTrue(noClip.getMessage().contains("holds no CLIP"), noClip.getMessage());
        Path notTorchScript = Files.writeString(runs.resolve("model.pt"), "not a model");
        UserError noVocabulary = assertThrows(UserError.class, () -> ClipReference.load(notTorchScript.toString(),
                REGISTRY, Device.cpu()));
        assertTrue(noVocabulary.getMessage().contains("tokenizer.json"), noVocabulary.getMessage());
    }
}
