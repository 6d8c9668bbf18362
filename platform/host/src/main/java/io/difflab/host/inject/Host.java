package io.difflab.host.inject;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import io.difflab.api.UserError;
import io.difflab.host.plugin.DifflabPluginManager;
import io.difflab.host.plugin.ExtensionCatalog;
import io.difflab.host.plugin.PlatformVersion;
import io.difflab.host.plugin.PluginReport;
import io.difflab.host.plugin.PluginReports;
import io.difflab.host.registry.DefaultExtensionRegistry;
import io.difflab.host.run.RunModule;
import org.pf4j.DependencyResolver;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The running platform: plugins loaded and started from the given folders, and the one
 * injector (created once) through which every extension is made.
 *
 * <pre>{@code
 * try (Host host = Host.start(List.of(pluginsDir), List.of(new TrackingModule()))) {
 *     RunPipeline pipeline = host.injector().getInstance(RunPipeline.class);
 * }
 * }</pre>
 */
public final class Host implements AutoCloseable {

    private final DifflabPluginManager manager;
    private final ExtensionCatalog catalog;
    private final Injector injector;
    private final PlatformVersion version;

    private Host(DifflabPluginManager manager, ExtensionCatalog catalog, Injector injector, PlatformVersion version) {
        this.manager = manager;
        this.catalog = catalog;
        this.injector = injector;
        this.version = version;
    }

    /**
     * Loads and starts the plugins in {@code pluginRoots} (highest priority first) and creates
     * the injector from the host's modules plus {@code extraModules} (e.g. the tracking module).
     */
    public static Host start(List<Path> pluginRoots, List<? extends Module> extraModules) {
        return start(pluginRoots, extraModules, List.of());
    }

    /**
     * Like {@link #start(List, List)}, with {@code overrides} replacing bindings of the other
     * modules (a test's own {@code RunPipeline}, say).
     */
    public static Host start(List<Path> pluginRoots, List<? extends Module> extraModules,
                             List<? extends Module> overrides) {
        PlatformVersion version = PlatformVersion.current();
        DifflabPluginManager manager = new DifflabPluginManager(pluginRoots, version.kit());
        try {
            manager.loadAndStart();
        } catch (DependencyResolver.CyclicDependencyException e) {
            throw new UserError("the plugins in " + pluginRoots + " depend on each other in a cycle;"
                    + " check their Plugin-Dependencies", e);
        }
        ExtensionCatalog catalog = new ExtensionCatalog(manager);
        List<Module> modules = new ArrayList<>();
        modules.add(new PluginHostModule(manager, catalog));
        modules.add(new HostServicesModule());
        modules.add(new RunModule());
        modules.addAll(extraModules);
        Module all = overrides.isEmpty() ? Modules.combine(modules) : Modules.override(modules).with(overrides);
        return new Host(manager, catalog, Guice.createInjector(all), version);
    }

    /** The one injector. */
    public Injector injector() {
        return injector;
    }

    /** The registry of extensions by point and name. */
    public DefaultExtensionRegistry registry() {
        return injector.getInstance(DefaultExtensionRegistry.class);
    }

    /** The plugin manager. */
    public DifflabPluginManager plugins() {
        return manager;
    }

    /** One report per plugin, the platform's own extensions first. */
    public List<PluginReport> pluginReports() {
        return PluginReports.of(manager, catalog, version.release());
    }

    /** Stops the plugins; a plugin failing to stop is logged, never thrown at the end of a command. */
    @Override
    public void close() {
        try {
            manager.stopPlugins();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Host.class).warn("a plugin failed to stop: {}", e.toString());
        }
    }
}
