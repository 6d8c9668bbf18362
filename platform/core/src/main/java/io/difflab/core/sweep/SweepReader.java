package io.difflab.core.sweep;

import io.difflab.core.registry.Suggestions;
import io.difflab.core.spec.KeyPath;
import io.difflab.core.spec.SpecProblem;
import io.difflab.core.spec.SpecYaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a sweep file into a {@link SweepDefinition}, collecting every problem with its key path:
 * <pre>
 * name: guidance-ablation               # default: the file name
 * experiment: guidance-ablation         # MLflow experiment of the parent and the cells; default: name
 * base: ../quickstart.yaml              # the base spec, relative to this file (or per variant)
 * set: {train.steps: 1500}              # overrides for every cell
 * variants:                             # named axes whose values are bundles of overrides
 *   method:
 *     none: {base: ../gd.yaml, guidance.name: none}
 * axes: {guidance.scale: [0, 1, 3]}     # grid axes over any spec key
 * zip:                                  # keys advanced together
 *   - {sampler.name: [ddim, ancestral], sampler.steps: [25, 100]}
 * seeds: [0, 1]                         # the seed as an axis
 * skip: [{method: none, guidance.scale: "!0"}]          # cells not run
 * cells: [{when: {method: none}, set: {guidance.scale: null}}]   # per-cell overrides
 * </pre>
 */
final class SweepReader {

    static final List<String> TOP_LEVEL = List.of("name", "experiment", "base", "set", "variants", "axes", "zip",
            "seeds", "skip", "cells");
    private static final List<String> CELL_RULE_KEYS = List.of("when", "set");

    private final Path file;
    private final List<SpecProblem> problems;

    SweepReader(Path file, List<SpecProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The definition, or {@code null} when the file is too broken to expand (problems say why). */
    SweepDefinition read(String text) {
        Object loaded;
        try {
            loaded = SpecYaml.load(text);
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem("", e.getMessage()));
            return null;
        }
        if (!(loaded instanceof Map<?, ?> top)) {
            problems.add(new SpecProblem("", "expected key: value pairs at the top (name, base, axes, ...)"));
            return null;
        }
        top.keySet().forEach(k -> {
            if (!TOP_LEVEL.contains(String.valueOf(k))) {
                problems.add(new SpecProblem(String.valueOf(k), "unknown key" + Suggestions.didYouMean(String.valueOf(k),
                        TOP_LEVEL) + " (sweep keys: " + String.join(", ", TOP_LEVEL) + ")"));
            }
        });
        String fallback = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = string(top, "name", fallback);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add(new SpecProblem("name", "must be letters, digits, '.', '_' or '-' (it names the sweep's "
                    + "runs folder), got '" + name + "'"));
        }
        String experiment = string(top, "experiment", name);
        Path base = top.get("base") == null ? null : basePath("base", top.get("base"));
        Map<String, Object> set = bundle("set", top.get("set"));
        List<Dimension> dimensions = new ArrayList<>();
        for (Object key : top.keySet()) {
            switch (String.valueOf(key)) {
                case "variants" -> dimensions.addAll(variants(top.get(key)));
                case "axes" -> dimensions.addAll(axes(top.get(key)));
                case "zip" -> dimensions.addAll(zips(top.get(key)));
                case "seeds" -> dimensions.addAll(seeds(top.get(key)));
                default -> { }
            }
        }
        List<CellRule> skip = new ArrayList<>();
        List<Object> skipEntries = list("skip", top.get("skip"));
        for (int i = 0; i < skipEntries.size(); i++) {
            String path = KeyPath.child("skip", i);
            skip.add(new CellRule(path, bundle(path, skipEntries.get(i)), Map.of()));
        }
        List<CellRule> cells = new ArrayList<>();
        List<Object> cellEntries = list("cells", top.get("cells"));
        for (int i = 0; i < cellEntries.size(); i++) {
            CellRule rule = cellRule(KeyPath.child("cells", i), cellEntries.get(i));
            if (rule != null) {
                cells.add(rule);
            }
        }
        return new SweepDefinition(name, experiment, file, base, set, dimensions, skip, cells);
    }

    private List<Dimension> variants(Object raw) {
        List<Dimension> dims = new ArrayList<>();
        if (!(raw instanceof Map<?, ?> axes)) {
            problems.add(new SpecProblem("variants", "expected axes of named bundles, like method: {none: "
                    + "{guidance.name: none}, classifier: {...}}"));
            return dims;
        }
        axes.forEach((axis, variants) -> {
            String axisPath = "variants." + axis;
            if (!(variants instanceof Map<?, ?> named) || named.isEmpty()) {
                problems.add(new SpecProblem(axisPath, "expected named bundles of overrides, like none: {guidance.name: none}"));
                return;
            }
            List<Dimension.Point> points = new ArrayList<>();
            named.forEach((variant, bundle) -> {
                String path = axisPath + "." + variant;
                Map<String, Object> overrides = bundle(path, bundle == null ? Map.of() : bundle);
                Path base = overrides.containsKey("base") ? basePath(path + ".base", overrides.remove("base")) : null;
                points.add(new Dimension.Point(Map.of(String.valueOf(axis), String.valueOf(variant)), overrides,
                        List.of(SweepValues.idPart(String.valueOf(axis), String.valueOf(variant), true)), base, true));
            });
            dims.add(new Dimension(List.of(String.valueOf(axis)), points));
        });
        return dims;
    }

    private List<Dimension> axes(Object raw) {
        List<Dimension> dims = new ArrayList<>();
        Map<String, Object> axes = bundle("axes", raw);
        axes.forEach((key, values) -> {
            List<Object> list = values("axes." + key, values);
            List<Dimension.Point> points = new ArrayList<>();
            for (Object v : list) {
                points.add(point(List.of(key), List.of(v)));
            }
            if (!points.isEmpty()) {
                dims.add(new Dimension(List.of(key), points));
            }
        });
        return dims;
    }

    private List<Dimension> zips(Object raw) {
        List<Dimension> dims = new ArrayList<>();
        List<Object> groups = list("zip", raw);
        for (int g = 0; g < groups.size(); g++) {
            String path = KeyPath.child("zip", g);
            Map<String, Object> group = bundle(path, groups.get(g));
            List<String> keys = new ArrayList<>();
            List<List<Object>> columns = new ArrayList<>();
            group.forEach((key, values) -> {
                keys.add(key);
                columns.add(values(path + "." + key, values));
            });
            if (keys.isEmpty() || columns.stream().anyMatch(List::isEmpty)) {
                continue;
            }
            int n = columns.get(0).size();
            if (columns.stream().anyMatch(c -> c.size() != n)) {
                problems.add(new SpecProblem(path, "its lists advance together and must have the same length, got "
                        + columns.stream().map(c -> String.valueOf(c.size())).toList()));
                continue;
            }
            List<Dimension.Point> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> row = new ArrayList<>();
                for (List<Object> c : columns) {
                    row.add(c.get(i));
                }
                points.add(point(keys, row));
            }
            dims.add(new Dimension(keys, points));
        }
        return dims;
    }

    private List<Dimension> seeds(Object raw) {
        List<Object> seeds = values("seeds", raw);
        List<Dimension.Point> points = new ArrayList<>();
        for (Object s : seeds) {
            if (!(s instanceof Integer || s instanceof Long)) {
                problems.add(new SpecProblem("seeds", "expected integers, got " + SweepValues.display(s)));
                continue;
            }
            points.add(point(List.of("seed"), List.of(s)));
        }
        return points.isEmpty() ? List.of() : List.of(new Dimension(List.of("seed"), points));
    }

    private static Dimension.Point point(List<String> keys, List<Object> values) {
        Map<String, String> swept = new LinkedHashMap<>();
        Map<String, Object> overrides = new LinkedHashMap<>();
        List<String> id = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            swept.put(keys.get(i), SweepValues.display(values.get(i)));
            overrides.put(keys.get(i), values.get(i));
            id.add(SweepValues.idPart(keys.get(i), values.get(i), false));
        }
        return new Dimension.Point(swept, overrides, id, null, false);
    }

    private CellRule cellRule(String path, Object raw) {
        if (!(raw instanceof Map<?, ?> rule)) {
            problems.add(new SpecProblem(path, "expected {when: {key: value}, set: {key: value}}"));
            return null;
        }
        rule.keySet().forEach(k -> {
            if (!CELL_RULE_KEYS.contains(String.valueOf(k))) {
                problems.add(new SpecProblem(path + "." + k, "unknown key" + Suggestions.didYouMean(String.valueOf(k),
                        CELL_RULE_KEYS) + " (a cell rule has when and set)"));
            }
        });
        return new CellRule(path, bundle(path + ".when", rule.get("when")), bundle(path + ".set", rule.get("set")));
    }

    /** A map of overrides, nested maps as dotted keys, each key a valid key path. */
    private Map<String, Object> bundle(String path, Object raw) {
        if (raw == null) {
            return new LinkedHashMap<>();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            problems.add(new SpecProblem(path, "expected key: value pairs, like {train.steps: 1500}, got "
                    + SweepValues.display(raw)));
            return new LinkedHashMap<>();
        }
        Map<String, Object> flat = SweepValues.flatten(map);
        for (String key : List.copyOf(flat.keySet())) {
            try {
                KeyPath.parse(key);
            } catch (IllegalArgumentException e) {
                problems.add(new SpecProblem(path + "." + key, e.getMessage()));
                flat.remove(key);
            }
        }
        return flat;
    }

    private List<Object> values(String path, Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            problems.add(new SpecProblem(path, "expected a non-empty list of values, like [0, 1, 3], got "
                    + SweepValues.display(raw)));
            return List.of();
        }
        return new ArrayList<>(list);
    }

    private List<Object> list(String path, Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            problems.add(new SpecProblem(path, "expected a list, got " + SweepValues.display(raw)));
            return List.of();
        }
        return new ArrayList<>(list);
    }

    private String string(Map<?, ?> top, String key, String fallback) {
        Object v = top.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problems.add(new SpecProblem(key, "expected a string, got " + SweepValues.display(v)));
            return fallback;
        }
        return s;
    }

    private Path basePath(String path, Object raw) {
        if (!(raw instanceof String s) || s.isBlank()) {
            problems.add(new SpecProblem(path, "expected the path of an experiment spec, relative to the sweep file"));
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path base = dir.resolve(s).normalize();
        if (!Files.isRegularFile(base)) {
            problems.add(new SpecProblem(path, "no spec file " + base));
            return null;
        }
        return base;
    }
}
