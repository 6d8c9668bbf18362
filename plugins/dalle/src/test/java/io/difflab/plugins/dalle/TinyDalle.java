package io.difflab.plugins.dalle;

import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Option;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fixtures: small real shapes-captions splits and the settings of a tiny DALL-E. */
final class TinyDalle {

    /** The tiny CLIP fixture and its vocabulary sample, made by tools/clip (random weights). */
    static final Path TINY_CLIP = Path.of("../../platform/kit/src/test/resources/io/difflab/kit/clip/tiny-clip.pt");
    static final Path TINY_CLIP_TOKENIZER = Path.of(
            "../../platform/kit/src/test/resources/io/difflab/kit/text/clip-bpe-sample.tokenizer.json");

    private TinyDalle() {
    }

    /**
     * The tiny CLIP as a spec names a released one: {@code model.pt} in {@code folder} with its
     * {@code tokenizer.json} beside it (the kit's ClipReference reads that pair).
     */
    static Path torchScriptClip(Path folder) {
        try {
            Path dir = java.nio.file.Files.createDirectories(folder.resolve("tiny-clip"));
            java.nio.file.Files.copy(TINY_CLIP, dir.resolve("model.pt"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(TINY_CLIP_TOKENIZER, dir.resolve("tokenizer.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return dir.resolve("model.pt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A split of {@code size} 32x32 shapes-captions scenes, cached under {@code folder}. */
    static ImageDataset shapes(Path folder, Split split, int size) {
        ShapesCaptionsProvider provider = new ShapesCaptionsProvider();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(split == Split.TRAIN ? "train_size" : "test_size", size);
        values.put("folder", folder.toString());
        return provider.load(Config.of("dataset", provider.options(), values), split);
    }

    /** A DALL-E small enough for unit tests: 16 codes on a 4x4 grid, a 2-layer transformer of width 32. */
    static Map<String, Object> settings() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model.codebook_size", 16);
        values.put("model.dvae_channels", 16);
        values.put("model.dvae_downsamples", 3);
        values.put("model.dvae_steps", 20);
        values.put("model.temperature_anneal_steps", 20);
        values.put("model.kl_warmup_steps", 10);
        values.put("model.width", 32);
        values.put("model.layers", 2);
        values.put("model.heads", 2);
        values.put("model.text_length", 16);
        return values;
    }

    /** An option's key, for readability at call sites. */
    static String key(Option option) {
        return "model." + option.key();
    }
}
