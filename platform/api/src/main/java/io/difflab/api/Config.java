package io.difflab.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An immutable, already validated spec section: values keyed by name, defaults filled in,
 * with the key path it came from ({@code estimator}, {@code sampler}) for messages.
 * Lists are immutable {@code List<Integer>}, {@code List<Double>} or {@code List<String>}.
 */
public final class Config {

    private final String path;
    private final Map<String, Object> values;

    public Config(String path, Map<String, Object> values) {
        this.path = path;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * A section at {@code path} holding {@code values} and, for every option they lack, its default:
     * what the spec resolver fills in, for sections built in code (tests, a family's sub-sections).
     */
    public static Config of(String path, List<Option> options, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Option o : options) {
            if (o.defaultValue() != null) {
                all.put(o.key(), o.defaultValue());
            }
        }
        all.putAll(values);
        return new Config(path, all);
    }

    /** An empty section at {@code path}. */
    public static Config empty(String path) {
        return new Config(path, Map.of());
    }

    /** The key path of this section within the spec. */
    public String path() {
        return path;
    }

    /** All values, in spec order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    public int getInt(String key) {
        return ((Number) require(key)).intValue();
    }

    public long getLong(String key) {
        return ((Number) require(key)).longValue();
    }

    public double getDouble(String key) {
        return ((Number) require(key)).doubleValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key);
    }

    public String getString(String key) {
        return require(key).toString();
    }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String key) {
        return ((List<Number>) require(key)).stream().map(Number::intValue).toList();
    }

    @SuppressWarnings("unchecked")
    public List<Double> getDoubleList(String key) {
        return ((List<Number>) require(key)).stream().map(Number::doubleValue).toList();
    }

    @SuppressWarnings("unchecked")
    public List<String> getStringList(String key) {
        return ((List<Object>) require(key)).stream().map(Object::toString).toList();
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new NoSuchElementException(path + "." + key + " is not set");
        }
        return v;
    }

    @Override
    public String toString() {
        return path + values;
    }
}
