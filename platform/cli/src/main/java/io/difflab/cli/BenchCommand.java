package io.difflab.cli;

import io.difflab.host.run.Benchmark;
import io.difflab.host.spec.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code difflab bench}: a spec's training and sampling step times and peak memory on this machine. */
@Command(name = "bench",
        description = {"Measure a spec's training step and sampling step on this machine.",
            "Runs the real trainer and sampler for warm-up plus timed steps (nothing is recorded), then prints "
                    + "mean milliseconds per step and the peak resident memory of the process."})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Mixin
    private SpecArguments spec;

    // the JVM's JIT compiles the step's Java code over the first few dozen steps, its compiler threads
    // sharing the cores meanwhile: 8 warm-up steps left a quickstart sampling step at 68 ms, 60 at 59
    // (bench/RESULTS.md)
    @Option(names = "--warmup", defaultValue = "30",
            description = "untimed steps first, while the JVM compiles the step's code (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "timed steps (default: ${DEFAULT-VALUE})")
    private int steps;

    @Override
    public Integer call() {
        ExperimentSpec resolved = spec.resolve(difflab.host());
        Benchmark.Figures f = Benchmark.measure(resolved, difflab.host().registry(), warmup, steps);
        var out = command.commandLine().getOut();
        out.printf("spec        %s (device %s, %d intra-op threads)%n", resolved.name(), f.device(), f.threads());
        out.printf("train step  %.1f ms  (batch %d, mean of %d after %d warm-up)%n", f.trainMillisPerStep(),
                f.trainBatch(), steps, warmup);
        if (Double.isNaN(f.sampleMillisPerStep())) {
            out.printf("sample step none (the model generates no images)%n");
        } else {
            out.printf("sample step %.1f ms  (batch %d, one estimator call per guidance cost)%n",
                    f.sampleMillisPerStep(), f.sampleBatch());
        }
        out.printf("peak memory %.0f MiB resident%n", f.peakBytes() / 1048576.0);
        return 0;
    }
}
