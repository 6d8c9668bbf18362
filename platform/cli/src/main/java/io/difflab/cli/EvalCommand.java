package io.difflab.cli;

import io.difflab.api.UserError;
import io.difflab.host.run.RunEvaluation;
import io.difflab.host.run.RunFolders;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code difflab eval}: runs metrics on a finished run's saved samples and records them on that run. */
@Command(name = "eval",
        description = {"Evaluate a finished run's samples.",
            "Runs the metrics of the run's spec (or those given with --set metrics=...) on its samples.npz and "
                    + "newest checkpoint, logs them to the run's MLflow run and merges them into results.properties."})
final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Parameters(paramLabel = "<run>", description = "a run folder (runs/<name>-<stamp>) or a run name (its latest folder)")
    private String run;

    @Option(names = "--set", paramLabel = "<key=value>",
            description = "override a key of the run's spec, e.g. --set 'metrics=[{name: fd}, {name: bpd}]'")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--runs-dir", paramLabel = "<folder>", defaultValue = "runs",
            description = "where run folders are (default: ${DEFAULT-VALUE})")
    private Path runsDir;

    @Override
    public Integer call() {
        Path runDir = Files.isDirectory(Path.of(run)) ? Path.of(run)
                : new RunFolders(runsDir).latest(run).orElseThrow(() -> new UserError("eval: no run folder '" + run
                        + "' and no run named so in " + runsDir));
        Path saved = runDir.resolve(RunFolders.SPEC_FILE);
        if (!Files.isRegularFile(saved)) {
            throw new UserError("eval: " + runDir + " has no " + RunFolders.SPEC_FILE + ": not a run folder");
        }
        ExperimentSpec spec = difflab.host().injector().getInstance(SpecResolver.class).resolve(saved, overrides);
        if (spec.metrics().isEmpty()) {
            throw new UserError("eval: the spec names no metrics; give some with --set 'metrics=[{name: fd}]'");
        }
        Map<String, Double> values = difflab.host().injector().getInstance(RunEvaluation.class).evaluate(runDir, spec);
        var out = command.commandLine().getOut();
        new TreeMap<>(values).forEach((k, v) -> out.printf("%-28s %s%n", k, v));
        return 0;
    }
}
