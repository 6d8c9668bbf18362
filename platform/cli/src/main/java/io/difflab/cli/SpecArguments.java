package io.difflab.cli;

import io.difflab.api.UserError;
import io.difflab.host.inject.Host;
import io.difflab.host.plugin.PluginReport;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecException;
import io.difflab.host.spec.SpecResolver;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The spec file and its {@code --set} overrides, shared by the commands that take a spec. */
public final class SpecArguments {

    @Parameters(index = "0", paramLabel = "<spec>", description = "the experiment spec (YAML), e.g. experiments/quickstart.yaml")
    Path file;

    @Option(names = "--set", paramLabel = "<key=value>",
            description = "override a spec value, e.g. --set train.steps=500 or --set metrics[0].name=fd "
                    + "(repeatable; values are YAML: 0.5, true, [1,2,2], null to use the default)")
    List<String> overrides = new ArrayList<>();

    /** The validated spec (a SpecException, exit code 2, lists every problem). */
    public ExperimentSpec resolve(Host host) {
        try {
            return host.injector().getInstance(SpecResolver.class).resolve(file, overrides);
        } catch (SpecException e) {
            List<String> failed = host.pluginReports().stream().filter(r -> !r.ok()).map(PluginReport::id).toList();
            if (failed.isEmpty()) {
                throw e;
            }
            throw new UserError(e.getMessage() + "\nnote: plugins that failed (see `difflab plugins`): "
                    + String.join(", ", failed), e.exitCode(), e);
        }
    }

    /** The spec file. */
    public Path file() {
        return file;
    }
}
