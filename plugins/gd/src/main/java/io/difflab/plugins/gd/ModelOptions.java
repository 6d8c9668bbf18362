package io.difflab.plugins.gd;

import io.difflab.api.Config;
import io.difflab.api.Option;

import java.util.List;

/** Reads an option of the {@code model} section, falling back to its declared default when absent. */
final class ModelOptions {

    private ModelOptions() {
    }

    static int integer(Config config, Option option) {
        return config.has(option.key()) ? config.getInt(option.key()) : (Integer) option.defaultValue();
    }

    static double real(Config config, Option option) {
        return config.has(option.key()) ? config.getDouble(option.key()) : (Double) option.defaultValue();
    }

    @SuppressWarnings("unchecked")
    static List<Integer> intList(Config config, Option option) {
        return config.has(option.key()) ? config.getIntList(option.key()) : (List<Integer>) option.defaultValue();
    }
}
