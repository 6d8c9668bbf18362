package io.difflab.datasets.fashionmnist;

import io.difflab.api.Config;
import io.difflab.api.Named;
import io.difflab.api.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Spec sections as the host validates them: every option's default, then the test's values. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Config config(Named extension, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Option option : extension.options()) {
            if (!option.required()) {
                all.put(option.key(), option.defaultValue());
            }
        }
        all.putAll(values);
        return new Config("dataset", all);
    }
}
