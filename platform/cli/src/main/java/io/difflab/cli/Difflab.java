package io.difflab.cli;

import com.google.inject.Module;
import io.difflab.api.UserError;
import io.difflab.host.inject.Host;
import io.difflab.host.spec.Excerpt;
import io.difflab.cli.report.ReportCommand;
import io.difflab.cli.tracking.CompareCommand;
import io.difflab.cli.tracking.RunsCommand;
import io.difflab.cli.tracking.SyncCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code difflab} command. Subcommands are listed in the annotation below: adding a
 * command is one line there. A subcommand reaches the platform through
 * {@code @ParentCommand Difflab difflab; ... difflab.host()}.
 */
@Command(name = "difflab", mixinStandardHelpOptions = true, versionProvider = VersionText.class, scope = ScopeType.INHERIT,
        description = "Diffusion-model experiments on the JVM: plugins, specs, runs.",
        subcommands = {
            PluginsCommand.class,
            ValidateCommand.class,
            RunCommand.class,
            SweepCommand.class,
            CellCommand.class,
            BenchCommand.class,
            EvalCommand.class,
            RunsCommand.class,
            CompareCommand.class,
            SyncCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Difflab implements Runnable, AutoCloseable {

    /** Environment variable with more plugin folders, separated like PATH. */
    public static final String PLUGINS_ENV = "DIFFLAB_PLUGINS";
    /** System property the launcher sets to the distribution folder (holding plugins/). */
    public static final String HOME_PROPERTY = "difflab.home";

    @Option(names = "--plugins-dir", paramLabel = "<folder>", scope = ScopeType.INHERIT,
            description = "a folder of plugin files (jar or zip) to load before the distribution's; "
                    + "repeatable. Also: the " + PLUGINS_ENV + " environment variable.")
    private List<Path> pluginDirs = new ArrayList<>();

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "show stack traces and the plugin manager's log")
    private boolean debug;

    private final Map<String, String> env;
    private final Path home;
    private final List<Module> overrides;
    private Host host;
    private boolean sharedHost;

    /** The command as the launcher runs it. */
    public Difflab() {
        this(System.getenv(), System.getProperty(HOME_PROPERTY) == null ? null : Path.of(System.getProperty(HOME_PROPERTY)));
    }

    /**
     * @param env  the environment ({@value #PLUGINS_ENV})
     * @param home the distribution folder, or {@code null} when not run from one
     */
    public Difflab(Map<String, String> env, Path home) {
        this(env, home, List.of());
    }

    /**
     * On a host already started, which closing this command leaves open (tests that run many
     * commands on one host: starting one loads every plugin).
     */
    Difflab(Map<String, String> env, Path home, Host started) {
        this(env, home, List.of());
        this.host = started;
        this.sharedHost = true;
    }

    /** As above, with modules replacing host bindings (tests: a RunPipeline of their own). */
    Difflab(Map<String, String> env, Path home, List<Module> overrides) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.overrides = List.copyOf(overrides);
    }

    public static void main(String[] args) {
        int code;
        try (Difflab difflab = new Difflab()) {
            code = commandLine(difflab).execute(args);
        }
        System.exit(code);
    }

    /** The command line for {@code difflab}, with the host's error handling. */
    public static CommandLine commandLine(Difflab difflab) {
        return new CommandLine(difflab).setExecutionExceptionHandler(difflab::handle);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command");
    }

    /**
     * Modules added to the host's own: the services extensions may inject beyond the host's
     * (the tracking module binding Tracker goes here). The integration test uses them too.
     */
    static List<Module> extraModules() {
        return List.of(new TrackingSourceModule());
    }

    /** The platform: plugins loaded from the plugin folders, the injector; started on first use. */
    public Host host() {
        if (host == null) {
            if (debug) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
                System.setProperty("org.slf4j.simpleLogger.log.org.pf4j", "debug");
                System.setProperty("org.slf4j.simpleLogger.log.org.mlflow", "debug");
                System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
            }
            host = Host.start(pluginRoots(), extraModules(), overrides);
        }
        return host;
    }

    /** User folders first ({@code --plugins-dir}, then {@value #PLUGINS_ENV}), then the distribution's plugins/. */
    public List<Path> pluginRoots() {
        List<Path> roots = new ArrayList<>();
        for (Path dir : pluginDirs) {
            roots.add(existing(dir, "--plugins-dir"));
        }
        String fromEnv = env.getOrDefault(PLUGINS_ENV, "");
        for (String dir : fromEnv.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                roots.add(existing(Path.of(dir), PLUGINS_ENV));
            }
        }
        if (home != null && Files.isDirectory(home.resolve("plugins"))) {
            roots.add(home.resolve("plugins"));
        }
        return roots;
    }

    private static Path existing(Path dir, String from) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(from + ": " + dir + " is not a folder");
        }
        return dir.toAbsolutePath().normalize();
    }

    private int handle(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        var err = command.getErr();
        if (e instanceof UserError user) {
            // the message may quote a file name or value: never let it drive the terminal
            err.println(Excerpt.printable(user.getMessage(), true));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return user.exitCode();
        }
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println(Excerpt.printable("difflab: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (run with --debug for the stack trace)", true));
        }
        err.flush();
        return 1;
    }

    @Override
    public void close() {
        if (host != null && !sharedHost) {
            host.close();
        }
    }
}
