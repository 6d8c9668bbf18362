package io.difflab.host.sweep;

import io.difflab.host.spec.KeyPath;
import io.difflab.host.spec.SpecProblem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a sweep file's dimensions: {@code variants}, {@code axes}, {@code zip} and {@code seeds}. */
final class DimensionReader {

    private final SweepFields fields;
    private final List<SpecProblem> problems;

    DimensionReader(SweepFields fields, List<SpecProblem> problems) {
        this.fields = fields;
        this.problems = problems;
    }

    List<Dimension> variants(Object raw) {
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
                Map<String, Object> overrides = fields.bundle(path, bundle == null ? Map.of() : bundle);
                Path base = overrides.containsKey("base") ? fields.basePath(path + ".base", overrides.remove("base")) : null;
                points.add(new Dimension.Point(Map.of(String.valueOf(axis), String.valueOf(variant)), overrides,
                        List.of(SweepValues.idPart(String.valueOf(axis), String.valueOf(variant), true)), base, true));
            });
            dims.add(new Dimension(List.of(String.valueOf(axis)), points));
        });
        return dims;
    }

    List<Dimension> axes(Object raw) {
        List<Dimension> dims = new ArrayList<>();
        Map<String, Object> axes = fields.bundle("axes", raw);
        axes.forEach((key, values) -> {
            List<Object> list = fields.values("axes." + key, values);
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

    List<Dimension> zips(Object raw) {
        List<Dimension> dims = new ArrayList<>();
        List<Object> groups = fields.list("zip", raw);
        for (int g = 0; g < groups.size(); g++) {
            String path = KeyPath.child("zip", g);
            Map<String, Object> group = fields.bundle(path, groups.get(g));
            List<String> keys = new ArrayList<>();
            List<List<Object>> columns = new ArrayList<>();
            group.forEach((key, values) -> {
                keys.add(key);
                columns.add(fields.values(path + "." + key, values));
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

    List<Dimension> seeds(Object raw) {
        List<Object> seeds = fields.values("seeds", raw);
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

}
