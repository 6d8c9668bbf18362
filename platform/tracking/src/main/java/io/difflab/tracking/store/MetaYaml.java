package io.difflab.tracking.store;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * YAML as MLflow writes it ({@code mlflow.utils.yaml_utils.write_yaml}: PyYAML's safe dumper,
 * block style, keys sorted): strings that would read back as numbers are quoted
 * ({@code experiment_id: '0'}), {@code null} and {@code []} spelled out.
 */
public final class MetaYaml {

    private MetaYaml() {
    }

    /** The YAML text of {@code values}, keys sorted. */
    public static String dump(Map<String, ?> values) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setAllowUnicode(true);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        Yaml yaml = new Yaml(new Representer(options), options);
        return yaml.dump(new TreeMap<>(values));
    }

    /** The mapping in {@code file}; a missing, empty or non-mapping file is an IOException. */
    public static Map<String, Object> load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new IOException("damaged " + file.getFileName() + " (not YAML): " + file, e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IOException((parsed == null ? "empty " : "damaged ") + file.getFileName() + ": " + file);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : v.toString();
    }

    static Long optionalLong(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return v == null ? null : Long.valueOf(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static long requiredLong(Map<String, Object> m, String key, long fallback) {
        Long v = optionalLong(m, key);
        return v == null ? fallback : v;
    }
}
