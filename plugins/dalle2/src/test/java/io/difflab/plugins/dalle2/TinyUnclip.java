package io.difflab.plugins.dalle2;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.nn.TextUNetEstimator;
import io.difflab.kit.text.WordVocabulary;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/** Fixtures: real shapes-captions splits, a CLIP run folder with random weights over them, a tiny unCLIP. */
final class TinyUnclip {

    /** CLIP's embedding size E in these tests. */
    static final int E = 8;
    static final int CONTEXT = 12;

    private TinyUnclip() {
    }

    /** A split of {@code size} 32x32 shapes-captions scenes, cached under {@code folder}. */
    static ImageDataset shapes(Path folder, Split split, int size) {
        ShapesCaptionsProvider provider = new ShapesCaptionsProvider();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(split == Split.TRAIN ? "train_size" : "test_size", size);
        values.put("folder", folder.toString());
        return provider.load(Config.of("dataset", provider.options(), values), split);
    }

    /**
     * A finished clip run folder as the clip family leaves it: a CLIP over 32x32 RGB images with random
     * weights (seeded), its architecture and the word vocabulary of {@code data}'s captions.
     */
    static Path writeClipRun(Path run, ImageDataset data) throws Exception {
        int[] all = IntStream.range(0, data.size()).toArray();
        List<String> captions = data.fieldValues("caption", all).stream().map(String::valueOf).toList();
        WordVocabulary vocabulary = WordVocabulary.build(captions, 1, 0, CONTEXT);
        ClipArchitecture architecture = new ClipArchitecture(3, 32, 8, 16, 1, 2, 0, "", vocabulary.size(), CONTEXT,
                16, 1, 2, true, TextTransformer.Pooling.END_TOKEN, E, "word", "vocabulary.txt");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipNetwork network = new ClipNetwork(architecture);
            Engine.getInstance().setRandomSeed(5);
            network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
            TrainingSession session = new TrainingSession(network, manager);
            Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
            session.checkpoint(new CheckpointStore(checkpoints, 2), 1, new Properties());
            ClipReference.writeArchitecture(architecture, checkpoints.resolve(ClipArchitecture.FILE));
            vocabulary.save(checkpoints.resolve("vocabulary.txt"));
        }
        Files.writeString(run.resolve("trained.properties"), "training_key=x\n");
        return run;
    }

    /** A tiny unCLIP reading the CLIP of {@code clipRun}. */
    static Map<String, Object> settings(Path clipRun) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model.clip", clipRun.toString());
        values.put("model.prior_width", 16);
        values.put("model.prior_layers", 1);
        values.put("model.prior_heads", 2);
        values.put("model.prior_timesteps", 100);
        values.put("model.prior_sampling_steps", 5);
        values.put("model.prior_steps", 10);
        values.put("schedule.timesteps", 100);
        values.put("estimator.base_channels", 8);
        values.put("estimator.channel_mult", List.of(1, 2));
        values.put("estimator.num_res_blocks", 1);
        values.put("estimator.attention_resolutions", List.of(16));
        values.put("estimator.dropout", 0.0);
        values.put("estimator.text_width", 16);
        values.put("estimator.norm_groups", 4);
        values.put("sampler.steps", 4);
        return values;
    }

    /** The estimators the tests assemble from besides the kit's defaults. */
    static TextUNetEstimator textUnet() {
        return new TextUNetEstimator();
    }
}
