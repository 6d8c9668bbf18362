package io.difflab.host.sweep;

import io.difflab.host.registry.Suggestions;
import io.difflab.host.spec.KeyPath;
import io.difflab.host.spec.SpecProblem;
import io.difflab.host.spec.SpecYaml;

import java.nio.file.Path;
import java.util.ArrayList;
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
    private final SweepFields fields;
    private final DimensionReader dimensions;

    SweepReader(Path file, List<SpecProblem> problems) {
        this.file = file;
        this.problems = problems;
        this.fields = new SweepFields(file, problems);
        this.dimensions = new DimensionReader(fields, problems);
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
        String name = fields.string(top, "name", fallback);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add(new SpecProblem("name", "must be letters, digits, '.', '_' or '-' (it names the sweep's "
                    + "runs folder), got '" + name + "'"));
        }
        String experiment = fields.string(top, "experiment", name);
        Path base = top.get("base") == null ? null : fields.basePath("base", top.get("base"));
        Map<String, Object> set = fields.bundle("set", top.get("set"));
        List<Dimension> dims = new ArrayList<>();
        for (Object key : top.keySet()) {
            switch (String.valueOf(key)) {
                case "variants" -> dims.addAll(dimensions.variants(top.get(key)));
                case "axes" -> dims.addAll(dimensions.axes(top.get(key)));
                case "zip" -> dims.addAll(dimensions.zips(top.get(key)));
                case "seeds" -> dims.addAll(dimensions.seeds(top.get(key)));
                default -> { }
            }
        }
        List<CellRule> skip = new ArrayList<>();
        List<Object> skipEntries = fields.list("skip", top.get("skip"));
        for (int i = 0; i < skipEntries.size(); i++) {
            String path = KeyPath.child("skip", i);
            skip.add(new CellRule(path, fields.bundle(path, skipEntries.get(i)), Map.of()));
        }
        List<CellRule> cells = new ArrayList<>();
        List<Object> cellEntries = fields.list("cells", top.get("cells"));
        for (int i = 0; i < cellEntries.size(); i++) {
            CellRule rule = cellRule(KeyPath.child("cells", i), cellEntries.get(i));
            if (rule != null) {
                cells.add(rule);
            }
        }
        return new SweepDefinition(name, experiment, file, base, set, dims, skip, cells);
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
        return new CellRule(path, fields.bundle(path + ".when", rule.get("when")), fields.bundle(path + ".set", rule.get("set")));
    }
}
