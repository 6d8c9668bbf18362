package io.difflab.cli.report;

import io.difflab.api.UserError;
import io.difflab.tracking.SystemTags;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves what {@code difflab report} was given into runs: a sweep (its parent run's id or
 * name: every child run, found by their {@code mlflow.parentRunId} tag), run ids (or unique
 * prefixes; on a server also the ids the runs had in the local store they were sent from) and
 * run names, or an experiment (its runs, sweep parents left out).
 */
public final class RunSelection {

    private final RunCatalog catalog;
    private List<RunSummary> all;

    public RunSelection(RunCatalog catalog) {
        this.catalog = catalog;
    }

    public Selection resolve(List<String> targets, String experiment) throws IOException {
        if (experiment != null && !targets.isEmpty()) {
            throw new UserError("give runs or a sweep, or --experiment, not both");
        }
        if (experiment != null) {
            List<RunSummary> runs = withoutParents(catalog.runs(experiment));
            return new Selection(experiment, "the runs of experiment `" + experiment + "`", null, runs);
        }
        if (targets.isEmpty()) {
            throw new UserError("name a sweep, runs or --experiment to report on");
        }
        Map<String, RunSummary> runs = new LinkedHashMap<>();
        List<RunSummary> parents = new ArrayList<>();
        for (String target : targets) {
            for (RunSummary r : resolve(target)) {
                List<RunSummary> children = childrenOf(r);
                if (children.isEmpty()) {
                    runs.put(r.runId(), r);
                } else {
                    parents.add(r);
                    children.forEach(c -> runs.put(c.runId(), c));
                }
            }
        }
        List<RunSummary> list = List.copyOf(runs.values());
        if (parents.size() == 1 && targets.size() == 1) {
            RunSummary p = parents.get(0);
            return new Selection(p.runName(), "the " + list.size() + " cells of sweep `" + p.runName()
                    + "` (parent run `" + p.runId() + "`, experiment `" + p.experimentName() + "`)", p, list);
        }
        Set<String> experiments = list.stream().map(RunSummary::experimentName).collect(Collectors.toSet());
        String name = list.size() == 1 ? list.get(0).runName()
                : experiments.size() == 1 ? experiments.iterator().next() : "runs";
        if (!parents.isEmpty()) {
            Set<String> cells = new java.util.HashSet<>();
            for (RunSummary p : parents) {
                childrenOf(p).forEach(c -> cells.add(c.runId()));
            }
            long others = list.stream().filter(r -> !cells.contains(r.runId())).count();
            return new Selection(name, list.size() + " runs: the cells of sweeps " + parents.stream()
                    .map(p -> "`" + p.runName() + "`").collect(Collectors.joining(", "))
                    + (others == 0 ? "" : " and " + others + " other runs"), null, list);
        }
        return new Selection(name, list.size() + " runs: " + list.stream()
                .map(r -> "`" + r.runName() + "` (`" + r.runId() + "`)").collect(Collectors.joining(", ")), null, list);
    }

    /**
     * A run id (or unique prefix), else every run of that name; the newest sweep parent when several
     * share it. Resolved from one listing of the runs, so an unreachable server fails once.
     */
    private List<RunSummary> resolve(String target) throws IOException {
        // on a server, the id a run had in the local store it was sent from finds it too
        List<RunSummary> byId = all().stream().filter(r -> r.runId().equals(target)
                || target.equals(r.tags().get(SystemTags.LOCAL_RUN_ID))).toList();
        if (byId.isEmpty()) {
            byId = all().stream().filter(r -> r.runId().startsWith(target)).toList();
            if (byId.size() > 1) {
                throw new UserError("run id prefix " + target + " matches " + byId.size() + " runs in "
                        + catalog.location());
            }
        }
        if (!byId.isEmpty()) {
            return byId;
        }
        List<RunSummary> named = all().stream().filter(r -> target.equals(r.runName())).toList();
        if (named.isEmpty()) {
            throw new UserError("no run or sweep named " + target + " in " + catalog.location()
                    + " (give a run id, a run name or a sweep's name; `difflab runs` lists them)"
                    + (catalog.damaged().isEmpty() ? "" : "; damaged entries were passed over: "
                    + String.join("; ", catalog.damaged())));
        }
        List<RunSummary> sweeps = new ArrayList<>();
        for (RunSummary r : named) {
            if (!childrenOf(r).isEmpty()) {
                sweeps.add(r);
            }
        }
        return sweeps.isEmpty() ? named : List.of(sweeps.get(0)); // newest first
    }

    private List<RunSummary> childrenOf(RunSummary parent) throws IOException {
        return all().stream().filter(r -> parent.runId().equals(r.tags().get(SystemTags.PARENT_RUN_ID)))
                .sorted((a, b) -> Long.compare(a.startTime(), b.startTime())).toList();
    }

    private static List<RunSummary> withoutParents(List<RunSummary> runs) {
        Set<String> parents = runs.stream().map(r -> r.tags().get(SystemTags.PARENT_RUN_ID))
                .filter(p -> p != null).collect(Collectors.toSet());
        return runs.stream().filter(r -> !parents.contains(r.runId())).toList();
    }

    private List<RunSummary> all() throws IOException {
        if (all == null) {
            all = catalog.runs(null);
        }
        return all;
    }
}
