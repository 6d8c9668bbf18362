package io.difflab.cli;

import io.difflab.host.inject.Host;
import io.difflab.host.plugin.PluginReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code difflab plugins}: every plugin, its state, its extensions, and why it failed if it did. */
@Command(name = "plugins",
        description = {"List the plugins with their state and extensions.",
            "Shows every plugin file found in the plugin folders: id, version, state, its extensions by kind, and "
                    + "the reason when it failed to load or start. The platform's own extensions are listed as 'system'."})
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    private Difflab difflab;

    @Spec
    private CommandSpec command;

    @Override
    public Integer call() {
        Host host = difflab.host();
        List<PluginReport> reports = host.pluginReports();
        var out = command.commandLine().getOut();
        out.print(PluginTable.render(reports));
        for (String duplicate : host.registry().duplicates()) {
            out.println("warning: " + duplicate + " (specs cannot use it until one is removed)");
        }
        List<Path> roots = difflab.pluginRoots();
        out.println(roots.isEmpty() ? "plugin folders: none (use --plugins-dir or " + Difflab.PLUGINS_ENV + ")"
                : "plugin folders: " + roots.stream().map(Path::toString).collect(Collectors.joining(", ")));
        out.flush();
        return 0;
    }
}
