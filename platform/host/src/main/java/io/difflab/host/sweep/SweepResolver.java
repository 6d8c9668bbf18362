package io.difflab.host.sweep;

import io.difflab.host.run.TrainingKey;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecException;
import io.difflab.host.spec.SpecFiles;
import io.difflab.host.spec.SpecProblem;
import io.difflab.host.spec.SpecResolver;
import io.difflab.host.spec.SpecYaml;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a sweep file into a {@link SweepSpec}: reads it ({@link SweepReader}), expands its cells
 * ({@link SweepExpansion}) and resolves every cell that runs as an experiment spec: its base spec
 * with the cell's values as overrides. Every problem of the file and of every cell is reported at
 * once, before anything runs, as one {@link SpecException} (exit code 2); a problem shared by
 * several cells is listed once with the cells it concerns.
 */
public final class SweepResolver {

    private final SpecResolver specs;

    @Inject
    public SweepResolver(SpecResolver specs) {
        this.specs = specs;
    }

    /** The validated sweep in {@code file}. */
    public SweepSpec resolve(Path file) {
        String text = read(file, "sweep file");
        List<SpecProblem> problems = new ArrayList<>();
        SweepDefinition sweep = new SweepReader(file, problems).read(text);
        if (sweep == null) {
            throw new SpecException(file.toString(), problems);
        }
        Map<Path, String> baseTexts = new HashMap<>();
        Map<Path, Map<String, Object>> baseTrees = new HashMap<>();
        List<SweepExpansion.Planned> planned = SweepExpansion.expand(sweep,
                base -> baseTrees.computeIfAbsent(base, b -> tree(baseTexts.computeIfAbsent(b, x -> read(x, "spec")))),
                problems);
        Map<String, Set<String>> cellProblems = new LinkedHashMap<>();
        Map<String, SpecProblem> byText = new LinkedHashMap<>();
        List<SweepCell> cells = new ArrayList<>();
        for (SweepExpansion.Planned p : planned) {
            if (p.skippedBy() != null) {
                cells.add(new SweepCell(p.index(), p.id(), p.swept(), p.base(), p.overrides(), p.skippedBy(), null, null));
                continue;
            }
            if (p.base() == null) {
                note(new SpecProblem("base", "no base spec: give base at the top of the sweep or in every variant"),
                        p.id(), cellProblems, byText);
                continue;
            }
            try {
                ExperimentSpec spec = specs.resolve(baseTexts.computeIfAbsent(p.base(), b -> read(b, "spec")),
                        p.base().toString(), p.id(), List.of(), p.overrides());
                cells.add(new SweepCell(p.index(), p.id(), p.swept(), p.base(), p.overrides(), null, spec,
                        TrainingKey.of(spec, specs.registry())));
            } catch (SpecException e) {
                e.problems().forEach(problem -> note(problem, p.id(), cellProblems, byText));
            }
        }
        int runnable = (int) planned.stream().filter(p -> p.skippedBy() == null).count();
        byText.forEach((text2, problem) -> {
            Set<String> ids = cellProblems.get(text2);
            String where = ids.size() == runnable && runnable > 1 ? "every cell" : (ids.size() == 1 ? "cell " : "cells ")
                    + String.join(", ", ids);
            problems.add(new SpecProblem(problem.path(), problem.message() + " [" + where + "]"));
        });
        if (runnable == 0 && !planned.isEmpty()) {
            problems.add(new SpecProblem("skip", "every cell is skipped: nothing to run"));
        }
        if (problems.isEmpty()) {
            Set<String> uris = new LinkedHashSet<>();
            cells.stream().filter(c -> !c.skipped()).forEach(c -> uris.add(c.spec().tracking().uri()));
            if (uris.size() > 1) {
                problems.add(new SpecProblem("tracking.uri", "the cells would record to different places " + uris
                        + ": a sweep's parent and children live in one store; set tracking.uri in the sweep's set"));
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException(file.toString(), problems);
        }
        List<String> swept = new ArrayList<>();
        sweep.dimensions().forEach(d -> swept.addAll(d.keys()));
        return new SweepSpec(sweep.name(), sweep.experiment(), file, swept, cells);
    }

    private static void note(SpecProblem problem, String cell, Map<String, Set<String>> cells,
                             Map<String, SpecProblem> byText) {
        String key = problem.toString();
        byText.putIfAbsent(key, problem);
        cells.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(cell);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(String text) {
        try {
            return SpecYaml.load(text) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IllegalArgumentException e) {
            return Map.of(); // the cell's resolution reports it
        }
    }

    private static String read(Path file, String what) {
        return SpecFiles.read(file, what);
    }
}
