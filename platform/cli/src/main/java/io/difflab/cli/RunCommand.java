package io.difflab.cli;

import io.difflab.api.ModelFamily;
import io.difflab.api.UserError;
import io.difflab.host.inject.Host;
import io.difflab.host.run.Devices;
import io.difflab.host.run.FinishedRun;
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
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code difflab run}: validates a spec, creates its run folder with the resolved spec, and runs it. */
@Command(name = "run",
        description = {"Run an experiment spec.",
            "Validates the spec and checks everything the run needs (its networks, dataset, device and tracking "
                    + "store), then creates its run folder <runs-dir>/<name>-<yyyyMMdd-HHmmss>/ holding the resolved "
                    + "spec (spec.yaml) and trains, samples and evaluates as the spec says."})
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
        Devices.resolve(resolved.device()); // a device this machine lacks is refused before anything is created
        RunPipeline pipeline = host.injector().getInstance(RunPipeline.class);
        RunFolders folders = new RunFolders(runsDir);
        PrintWriter err = command.commandLine().getErr();
        Path runDir = null;
        Path trainedFrom = null;
        Map<String, String> changed = Map.of();
        if (resume) {
            runDir = folders.latest(resolved.name()).orElseThrow(() -> new UserError("--resume: no earlier run of '"
                    + resolved.name() + "' in " + runsDir + " to continue"));
            Path saved = runDir.resolve(RunFolders.SPEC_FILE);
            ExperimentSpec before = host.injector().getInstance(SpecResolver.class).resolve(saved, List.of());
            ResumeCheck.requireCompatible(before, resolved, runDir, host.registry().get(ModelFamily.class,
                    resolved.model().getString("name")).samplingOptions());
            changed = FinishedRun.changes(before, resolved);
            if (FinishedRun.isFinished(runDir, resolved, host.registry())) {
                if (changed.isEmpty()) {
                    err.println(runDir + " already finished: nothing to resume (" + resolved.train().steps()
                            + " training steps, samples and results are there)");
                    err.flush();
                    return 0;
                }
                // other sampling or evaluation settings for a finished training: a run of its own that starts
                // from that training, so that no record of the finished run is changed or repeated
                trainedFrom = runDir;
                err.println(runDir + " already finished; sampling and evaluating its training with "
                        + String.join(", ", changed.keySet()) + " changed, in a new run");
            }
        }
        pipeline.check(resolved); // everything that can be checked, before anything is created
        boolean created = !resume || trainedFrom != null;
        if (created) {
            runDir = folders.create(resolved.name(), LocalDateTime.now());
            changed = Map.of();
        }
        try {
            Files.writeString(runDir.resolve(RunFolders.SPEC_FILE), resolved.toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (created) {
                folders.discardEmpty(runDir);
            }
            throw new UserError("cannot write the spec into " + runDir + ": " + RunFolders.describe(e), e);
        }
        err.println((created ? "run folder: " : "resuming ") + runDir);
        err.flush();
        return pipeline.run(resolved, new RunOptions(runDir, !created, spec.file(), null,
                FinishedRun.paramTags(changed), trainedFrom));
    }
}
