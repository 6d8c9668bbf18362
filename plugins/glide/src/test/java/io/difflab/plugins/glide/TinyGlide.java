package io.difflab.plugins.glide;

import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.TextUNetEstimator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixtures: small real shapes-captions splits and a GLIDE small enough for unit tests. */
final class TinyGlide {

    private TinyGlide() {
    }

    /** A split of {@code size} 32x32 shapes-captions scenes, cached under {@code folder}. */
    static ImageDataset shapes(Path folder, Split split, int size) {
        ShapesCaptionsProvider provider = new ShapesCaptionsProvider();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(split == Split.TRAIN ? "train_size" : "test_size", size);
        values.put("folder", folder.toString());
        return provider.load(Config.of("dataset", provider.options(), values), split);
    }

    /** A GLIDE of 16 base channels, one residual block per level, a one-layer text transformer of width 32. */
    static Map<String, Object> settings() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("schedule.timesteps", 100);
        values.put("estimator.base_channels", 16);
        values.put("estimator.channel_mult", List.of(1, 2));
        values.put("estimator.num_res_blocks", 1);
        values.put("estimator.attention_resolutions", List.of(16));
        values.put("estimator.num_head_channels", 16);
        values.put("estimator.text_width", 32);
        values.put("estimator.text_layers", 1);
        values.put("estimator.text_heads", 2);
        values.put("model.text_length", 16);
        return values;
    }

    /** The tiny GLIDE assembled for {@code train} with {@code more} over {@link #settings()}. */
    static DiffusionModel assemble(ImageDataset train, Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>(settings());
        values.putAll(more);
        return (DiffusionModel) StandaloneAssembly.assemble(new GlideFamily(), train, values, new TextUNetEstimator());
    }
}
