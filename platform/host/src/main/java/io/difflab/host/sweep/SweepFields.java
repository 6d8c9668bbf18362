package io.difflab.host.sweep;

import io.difflab.host.spec.KeyPath;
import io.difflab.host.spec.SpecProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed fields of a sweep file: each reader returns a usable value and adds a problem when the field is wrong. */
final class SweepFields {

    private final Path file;
    private final List<SpecProblem> problems;

    SweepFields(Path file, List<SpecProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    void problem(String path, String message) {
        problems.add(new SpecProblem(path, message));
    }

    /** A map of overrides, nested maps as dotted keys, each key a valid key path. */
    Map<String, Object> bundle(String path, Object raw) {
        if (raw == null) {
            return new LinkedHashMap<>();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            problem(path, "expected key: value pairs, like {train.steps: 1500}, got "
                    + SweepValues.display(raw));
            return new LinkedHashMap<>();
        }
        Map<String, Object> flat = SweepValues.flatten(map);
        for (String key : List.copyOf(flat.keySet())) {
            try {
                KeyPath.parse(key);
            } catch (IllegalArgumentException e) {
                problem(path + "." + key, e.getMessage());
                flat.remove(key);
            }
        }
        return flat;
    }

    List<Object> values(String path, Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            problem(path, "expected a non-empty list of values, like [0, 1, 3], got "
                    + SweepValues.display(raw));
            return List.of();
        }
        return new ArrayList<>(list);
    }

    List<Object> list(String path, Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            problem(path, "expected a list, got " + SweepValues.display(raw));
            return List.of();
        }
        return new ArrayList<>(list);
    }

    String string(Map<?, ?> top, String key, String fallback) {
        Object v = top.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problem(key, "expected a string, got " + SweepValues.display(v));
            return fallback;
        }
        return s;
    }

    /** A base spec path, relative to the sweep file; {@code null} (with a problem) when it is no file. */
    Path basePath(String path, Object raw) {
        if (!(raw instanceof String s) || s.isBlank()) {
            problem(path, "expected the path of an experiment spec, relative to the sweep file");
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path base = dir.resolve(s).normalize();
        if (!Files.isRegularFile(base)) {
            problem(path, "no spec file " + base);
            return null;
        }
        return base;
    }
}
