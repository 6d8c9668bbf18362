package io.difflab.datasets.shapes;

import io.difflab.api.Config;
import io.difflab.api.Option;
import io.difflab.api.Split;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: shapes-captions splits loaded through the provider with a given cache folder. */
public final class TestSplits {

    private TestSplits() { }

    /** The provider's options with their defaults, overridden by {@code values}. */
    public static Config config(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Option option : new ShapesCaptionsProvider().options()) {
            all.put(option.key(), option.defaultValue());
        }
        all.putAll(values);
        return new Config("dataset", all);
    }

    /** A split of the default dataset (60000 / 10000 images of 32 pixels) cached in {@code folder}. */
    public static ShapesCaptionsDataset load(Path folder, Split split, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put("folder", folder.toString());
        return (ShapesCaptionsDataset) new ShapesCaptionsProvider().load(config(all), split);
    }
}
