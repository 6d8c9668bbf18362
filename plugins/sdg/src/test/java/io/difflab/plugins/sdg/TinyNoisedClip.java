package io.difflab.plugins.sdg;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Named;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.TrainedClip;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.text.WordTokenizer;
import io.difflab.kit.text.WordVocabulary;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** A noise-aware CLIP with random weights over 8x8 RGB images (T = 50, cosine), in memory or as a run folder. */
final class TinyNoisedClip {

    static final int T = 50;
    static final List<String> CAPTIONS = List.of("a red circle", "two blue squares", "a green star");

    /** The word tokenizer and the kit's two noise schedules. */
    static final ExtensionRegistry REGISTRY = new ExtensionRegistry() {
        @Override
        public <X extends Named> X get(Class<X> point, String name) {
            if (point == Tokenizer.class && name.equals("word")) {
                return point.cast(new WordTokenizer());
            }
            if (point == NoiseSchedule.class && name.equals("cosine")) {
                return point.cast(new CosineSchedule());
            }
            if (point == NoiseSchedule.class && name.equals("linear")) {
                return point.cast(new LinearSchedule());
            }
            throw new UserError("no " + point.getSimpleName() + " named " + name);
        }

        @Override
        public <X extends Named> List<X> all(Class<X> point) {
            return List.of();
        }
    };

    private TinyNoisedClip() {
    }

    static WordVocabulary vocabulary() {
        return WordVocabulary.build(CAPTIONS, 1, 0, 6);
    }

    static ClipArchitecture architecture(int timesteps) {
        return new ClipArchitecture(3, 8, 4, 8, 2, 2, timesteps, timesteps > 0 ? "cosine" : "", vocabulary().size(), 6,
                8, 1, 2, true, TextTransformer.Pooling.END_TOKEN, 4, "word", "vocabulary.txt");
    }

    static ClipNetwork network(NDManager manager, int timesteps) {
        ClipNetwork network = new ClipNetwork(architecture(timesteps));
        Engine.getInstance().setRandomSeed(11);
        network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
        return network;
    }

    /** The in-memory CLIP with its initial weights. */
    static TrainedClip model(NDManager manager) {
        return new TrainedClip(network(manager, T), new ParameterStore(manager, false), vocabulary().endId());
    }

    /** A finished run folder holding a CLIP of {@code timesteps} (0: not noise-aware), as the clip family leaves it. */
    static Path writeRun(Path run, NDManager manager, int timesteps) throws Exception {
        ClipNetwork network = network(manager, timesteps);
        TrainingSession session = new TrainingSession(network, manager);
        Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
        session.checkpoint(new CheckpointStore(checkpoints, 2), 3, new Properties());
        ClipReference.writeArchitecture(network.architecture(), checkpoints.resolve(ClipArchitecture.FILE));
        vocabulary().save(checkpoints.resolve("vocabulary.txt"));
        Files.writeString(run.resolve("trained.properties"), "training_key=x\n");
        return run;
    }
}
