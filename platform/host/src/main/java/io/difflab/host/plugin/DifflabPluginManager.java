package io.difflab.host.plugin;

import org.pf4j.CompoundPluginRepository;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultPluginRepository;
import org.pf4j.DefaultPluginStatusProvider;
import org.pf4j.DependencyResolver;
import org.pf4j.ExtensionFactory;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginDependency;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin host: PF4J loading plugin files (jar or zip) from several folders, with
 * extensions created by Guice ({@link GuiceExtensionFactory}). A plugin that cannot be
 * loaded, resolved or started is kept aside with its reason while the others keep working:
 * an unreadable file, a {@code Plugin-Requires} this platform does not satisfy, a missing or
 * failed dependency, an exception in {@code start()}.
 *
 * <p>Folders are searched in the order given; when two files provide the same plugin id the
 * one found first wins and the other is reported. The platform's own extensions (classes of
 * platform/kit annotated {@code @Extension}) are PF4J system extensions, found on the classpath.
 */
public final class DifflabPluginManager extends DefaultPluginManager {

    /** Reasons for plugins PF4J still holds (their state is FAILED or DISABLED). */
    private final Map<String, String> failures = new LinkedHashMap<>();
    /** Plugins PF4J dropped (an unreadable file, an unresolved dependency). */
    private final List<PluginReport> dropped = new ArrayList<>();

    /**
     * @param pluginsRoots  the folders holding plugin files, highest priority first
     * @param systemVersion the platform API version that {@code Plugin-Requires} is checked against
     */
    public DifflabPluginManager(List<Path> pluginsRoots, String systemVersion) {
        super(List.copyOf(pluginsRoots));
        setSystemVersion(systemVersion);
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    /** Loads and starts every plugin found; failures are recorded, never thrown. */
    public void loadAndStart() {
        loadPlugins();
        startPlugins();
    }

    /** The factory that creates extensions through the host injector. */
    public GuiceExtensionFactory guiceExtensionFactory() {
        return (GuiceExtensionFactory) getExtensionFactory();
    }

    /** Why the plugin {@code pluginId} failed, or {@code null}. */
    public String failure(String pluginId) {
        return failures.get(pluginId);
    }

    /** Plugins that failed so early PF4J no longer holds them. */
    public List<PluginReport> droppedPlugins() {
        return List.copyOf(dropped);
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        return new GuiceExtensionFactory();
    }

    @Override
    protected List<Path> createPluginsRoot() {
        return List.of(); // never PF4J's default ./plugins: the host always says where
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        // disabled.txt / enabled.txt in the first folder, as PF4J does; none without folders
        return getPluginsRoots().isEmpty() ? new AllEnabled() : new DefaultPluginStatusProvider(getPluginsRoots().get(0));
    }

    @Override
    protected PluginRepository createPluginRepository() {
        Comparator<File> order = Comparator.comparingInt(this::rootIndex).thenComparing(File::getName);
        JarPluginRepository jars = new JarPluginRepository(getPluginsRoots());
        jars.setComparator(order);
        DefaultPluginRepository folders = new DefaultPluginRepository(getPluginsRoots()) {
            @Override
            public List<Path> getPluginPaths() {
                // PF4J unpacks zip plugin files here and only logs one it cannot unpack: report it instead
                for (Path zip : PluginFiles.unreadableZips(getPluginsRoots())) {
                    if (dropped.stream().noneMatch(r -> r.id().equals(fileName(zip)))) {
                        dropped.add(PluginReport.failed(fileName(zip), null, PluginFiles.whyUnreadable(zip)));
                    }
                }
                return super.getPluginPaths();
            }
        };
        folders.setComparator(order);
        return new CompoundPluginRepository().add(jars).add(folders);
    }

    private int rootIndex(File file) {
        Path parent = file.toPath().toAbsolutePath().getParent();
        List<Path> roots = getPluginsRoots();
        for (int i = 0; i < roots.size(); i++) {
            if (roots.get(i).toAbsolutePath().normalize().equals(parent.normalize())) {
                return i;
            }
        }
        return roots.size();
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            PluginWrapper wrapper = super.loadPluginFromPath(pluginPath);
            if (wrapper == null) {
                dropped.add(PluginReport.failed(fileName(pluginPath), null, "cannot unpack " + pluginPath));
            } else if (failures.containsKey(wrapper.getPluginId())) {
                wrapper.setPluginState(PluginState.FAILED); // an unmet Plugin-Requires
            }
            return wrapper;
        } catch (RuntimeException e) {
            dropped.add(PluginReport.failed(fileName(pluginPath), null, LoadFailures.describe(e, pluginPath, plugins)));
            // PF4J's loadPlugins() moves on to the next file only for PluginRuntimeException
            throw e instanceof PluginRuntimeException p ? p : new PluginRuntimeException(e, "{}", e.getMessage());
        }
    }

    @Override
    protected boolean isPluginValid(PluginWrapper pluginWrapper) {
        boolean valid = super.isPluginValid(pluginWrapper);
        if (!valid) {
            failures.put(pluginWrapper.getPluginId(), "requires platform API "
                    + pluginWrapper.getDescriptor().getRequires().trim() + ", but this platform's API is "
                    + getSystemVersion());
        }
        return valid;
    }

    @Override
    protected DependencyResolver.Result resolveDependencies() {
        // record why PF4J is about to drop plugins, while their descriptors are still at hand
        DependencyResolver.Result result = dependencyResolver.resolve(
                plugins.values().stream().map(PluginWrapper::getDescriptor).toList());
        for (String missing : result.getNotFoundDependencies()) {
            for (String dependent : dependencyResolver.getDependents(missing)) {
                drop(dependent, "needs plugin '" + missing + "', which is not installed");
            }
        }
        for (DependencyResolver.WrongDependencyVersion wrong : result.getWrongVersionDependencies()) {
            String reason = "needs plugin '" + wrong.getDependencyId() + "' " + wrong.getRequiredVersion()
                    + ", but version " + wrong.getExistingVersion() + " is installed";
            drop(wrong.getDependentId(), reason);
            // PF4J unloads the dependency itself too
            drop(wrong.getDependencyId(), "unloaded by PF4J because plugin '" + wrong.getDependentId()
                    + "' requires another version of it (" + wrong.getRequiredVersion() + ")");
        }
        return super.resolveDependencies();
    }

    private void drop(String pluginId, String reason) {
        PluginWrapper wrapper = plugins.get(pluginId);
        if (wrapper != null && dropped.stream().noneMatch(r -> r.id().equals(pluginId))) {
            dropped.add(PluginReport.failed(pluginId, wrapper.getDescriptor().getVersion(), reason));
        }
    }

    @Override
    public void startPlugins() {
        for (PluginWrapper wrapper : resolvedPlugins) {
            PluginState state = wrapper.getPluginState();
            if (failures.containsKey(wrapper.getPluginId())) {
                wrapper.setPluginState(PluginState.FAILED); // resolving made it RESOLVED again
                continue;
            }
            if (state.isDisabled() || state.isStarted()) {
                continue;
            }
            String unstarted = unstartedDependency(wrapper);
            if (unstarted != null) {
                fail(wrapper, "needs plugin '" + unstarted + "', which did not start", null);
                continue;
            }
            try {
                org.pf4j.Plugin plugin = wrapper.getPlugin();
                if (plugin == null) {
                    fail(wrapper, "cannot create its Plugin-Class " + wrapper.getDescriptor().getPluginClass()
                            + " (missing, abstract, or not an org.pf4j.Plugin)", null);
                    continue;
                }
                plugin.start();
                wrapper.setPluginState(PluginState.STARTED);
                wrapper.setFailedException(null);
                startedPlugins.add(wrapper);
                firePluginStateEvent(new org.pf4j.PluginStateEvent(this, wrapper, state));
            } catch (Exception | LinkageError e) {
                fail(wrapper, "start() failed: " + ErrorText.describe(e), e);
            }
        }
    }

    private String unstartedDependency(PluginWrapper wrapper) {
        for (PluginDependency dependency : wrapper.getDescriptor().getDependencies()) {
            PluginWrapper needed = getPlugin(dependency.getPluginId());
            boolean started = needed != null && needed.getPluginState().isStarted();
            if (!started && !(dependency.isOptional() && needed == null)) {
                return dependency.getPluginId();
            }
        }
        return null;
    }

    private void fail(PluginWrapper wrapper, String reason, Throwable cause) {
        PluginState old = wrapper.getPluginState();
        wrapper.setPluginState(PluginState.FAILED);
        wrapper.setFailedException(cause);
        failures.put(wrapper.getPluginId(), reason);
        firePluginStateEvent(new org.pf4j.PluginStateEvent(this, wrapper, old));
    }

    private static String fileName(Path path) {
        return path.getFileName().toString();
    }

    /** Every plugin is enabled when there is no folder to keep an enabled/disabled list in. */
    private static final class AllEnabled implements PluginStatusProvider {
        @Override
        public boolean isPluginDisabled(String pluginId) {
            return false;
        }

        @Override
        public void disablePlugin(String pluginId) { }

        @Override
        public void enablePlugin(String pluginId) { }
    }
}
