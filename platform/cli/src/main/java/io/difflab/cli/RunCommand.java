package io.difflab.cli;

import io.difflab.api.ModelFamily;
import io.difflab.api.UserError;
import io.difflab.host.inject.Host;
import io.difflab.host.run.ResumeCheck;
import io.difflab.host.run.RunFolders;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunPipeline;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;

/** {@code difflab run}: validates a spec, creates its run folder with the resolved spec, and runs it. */
@Command(name = "run",
        description = {"Run an experiment spec.",
            "Validates the spec, creates its run folder <runs-dir>/<name>-<yyyyMMdd-HHmmss>/ holding the resolved "
                    + "spec (spec.yaml), then trains, samples and evaluates as the spec says."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Mixin
    private SpecArguments spec;

    @Option(names = "--resume", description = "continue the latest run folder of this spec's name from its last "
            + "checkpoint (only train.steps and sampling/evaluation settings may differ from that run's spec)")
    private boolean resume;

    @Option(names = "--runs-dir", paramLabel = "<folder>", defaultValue = "runs",
            description = "where run folders go (default: ${DEFAULT-VALUE})")
    private Path runsDir;

    @Override
    public Integer call() {
        Host host = difflab.host();
        ExperimentSpec resolved = spec.resolve(host);
        RunFolders folders = new RunFolders(runsDir);
        Path runDir;
        if (resume) {
            runDir = folders.latest(resolved.name()).orElseThrow(() -> new UserError("--resume: no earlier run of '"
                    + resolved.name() + "' in " + runsDir + " to continue"));
            Path saved = runDir.resolve(RunFolders.SPEC_FILE);
            ExperimentSpec before = host.injector().getInstance(SpecResolver.class).resolve(saved, java.util.List.of());
            ResumeCheck.requireCompatible(before, resolved, runDir, host.registry().get(ModelFamily.class,
                    resolved.model().getString("name")).samplingOptions());
        } else {
            runDir = folders.create(resolved.name(), LocalDateTime.now());
        }
        try {
            Files.writeString(runDir.resolve(RunFolders.SPEC_FILE), resolved.toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the spec into " + runDir + ": " + e.getMessage(), e);
        }
        command.commandLine().getErr().println((resume ? "resuming " : "run folder: ") + runDir);
        command.commandLine().getErr().flush();
        RunPipeline pipeline = host.injector().getInstance(RunPipeline.class);
        return pipeline.run(resolved, new RunOptions(runDir, resume, spec.file()));
    }
}
