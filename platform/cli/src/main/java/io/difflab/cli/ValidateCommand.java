package io.difflab.cli;

import io.difflab.host.run.RunPipeline;
import io.difflab.host.spec.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code difflab validate}: checks a spec against the installed plugins without running it. */
@Command(name = "validate",
        description = {"Check an experiment spec without running it.",
            "The spec is checked against the installed plugins, and the networks it describes are built (not "
                    + "trained) so that their settings are checked too; every problem is reported with its key path, "
                    + "and the exit code is 2 when the spec is invalid."})
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Mixin
    private SpecArguments spec;

    @Option(names = "--print", description = "print the resolved spec (every default filled in)")
    private boolean print;

    @Override
    public Integer call() {
        ExperimentSpec resolved = spec.resolve(difflab.host());
        difflab.host().injector().getInstance(RunPipeline.class).check(resolved);
        var out = command.commandLine().getOut();
        if (print) {
            out.print(resolved.toYaml());
        } else {
            out.println(spec.file() + ": valid (run '" + resolved.name() + "': model " + resolved.model().getString("name")
                    + ", dataset " + resolved.dataset().getString("name") + ", " + resolved.train().steps()
                    + " training steps)");
        }
        out.flush();
        return 0;
    }
}
