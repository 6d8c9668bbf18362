package io.difflab.host.sweep;

import io.difflab.host.spec.SpecProblem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cells of a sweep definition: the cartesian product of its dimensions (in file order, the
 * last varying fastest), each cell's overrides (the sweep's {@code set}, then each dimension's
 * values in file order, then matching {@code cells} rules; the cell's name and the sweep's
 * experiment last), and the skip rules applied.
 */
final class SweepExpansion {

    /** A cell before its spec is resolved. */
    record Planned(int index, String id, Map<String, String> swept, Path base, Map<String, Object> overrides,
                   String skippedBy) { }

    private SweepExpansion() {
    }

    /**
     * Expands {@code sweep}; rule keys no cell knows are added to {@code problems}.
     *
     * @param baseTree the loaded base spec of a base file (for rules matching keys the sweep does not set)
     */
    static List<Planned> expand(SweepDefinition sweep, Function<Path, Map<String, Object>> baseTree,
                                List<SpecProblem> problems) {
        List<List<Dimension.Point>> combos = new ArrayList<>();
        combos.add(List.of());
        for (Dimension d : sweep.dimensions()) {
            List<List<Dimension.Point>> next = new ArrayList<>();
            for (List<Dimension.Point> c : combos) {
                for (Dimension.Point p : d.points()) {
                    List<Dimension.Point> longer = new ArrayList<>(c);
                    longer.add(p);
                    next.add(longer);
                }
            }
            combos = next;
        }
        List<Planned> cells = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<CellView> views = new ArrayList<>();
        for (List<Dimension.Point> combo : combos) {
            int index = cells.size() + 1;
            Path base = sweep.base();
            Map<String, String> swept = new LinkedHashMap<>();
            Map<String, String> variants = new LinkedHashMap<>();
            Map<String, Object> overrides = new LinkedHashMap<>();
            putAll(overrides, sweep.set());
            List<String> idParts = new ArrayList<>();
            for (Dimension.Point p : combo) {
                if (p.base() != null) {
                    base = p.base();
                }
                if (p.variant()) {
                    variants.putAll(p.swept());
                }
                swept.putAll(p.swept());
                putAll(overrides, p.overrides());
                idParts.addAll(p.idParts());
            }
            CellView view = new CellView(variants, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides)),
                    base == null ? Map.of() : baseTree.apply(base));
            views.add(view);
            String skippedBy = sweep.skip().stream().filter(r -> r.matches(view)).findFirst()
                    .map(r -> r.path() + " (" + r.describe() + ")").orElse(null);
            for (CellRule rule : sweep.cells()) {
                if (rule.matches(view)) {
                    putAll(overrides, rule.set());
                }
            }
            String id = idParts.isEmpty() ? "cell" + index : String.join("_", idParts);
            if (!ids.add(id)) {
                id = id + "-" + index;
                ids.add(id);
            }
            putAll(overrides, Map.of("name", id));
            putAll(overrides, Map.of("tracking.experiment", sweep.experiment()));
            cells.add(new Planned(index, id, swept, base, overrides, skippedBy));
        }
        checkRuleKeys(sweep, views, problems);
        return cells;
    }

    /** Later values win and move to the end, so they apply after what they replace. */
    private static void putAll(Map<String, Object> into, Map<String, Object> values) {
        values.forEach((k, v) -> {
            into.remove(k);
            into.put(k, v);
        });
    }

    private static void checkRuleKeys(SweepDefinition sweep, List<CellView> views, List<SpecProblem> problems) {
        Set<String> known = new LinkedHashSet<>();
        views.forEach(v -> {
            known.addAll(v.variants().keySet());
            known.addAll(v.overrides().keySet());
        });
        List<CellRule> rules = new ArrayList<>(sweep.skip());
        rules.addAll(sweep.cells());
        for (CellRule rule : rules) {
            for (String key : rule.when().keySet()) {
                if (views.stream().noneMatch(v -> v.knows(key))) {
                    problems.add(new SpecProblem(rule.path() + "." + key, "no cell has this key (not a variant axis,"
                            + " a key the sweep sets, nor a key of a base spec)"
                            + io.difflab.host.registry.Suggestions.didYouMean(key, known)));
                }
            }
        }
    }
}
