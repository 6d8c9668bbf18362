package io.difflab.host.plugin;

import io.difflab.api.Named;
import io.difflab.host.registry.RegisteredExtension;
import org.pf4j.ExtensionPoint;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every extension the host can offer: the platform's own (PF4J system extensions) and those
 * of the started plugins, each created once through the extension factory. An extension that
 * cannot be created (a missing binding, an exception in its constructor, a class missing from
 * its plugin file) is left out and recorded against its plugin. Built on first use.
 */
public final class ExtensionCatalog {

    private final DifflabPluginManager manager;
    private List<RegisteredExtension> extensions;
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private boolean building;

    public ExtensionCatalog(DifflabPluginManager manager) {
        this.manager = manager;
    }

    /** The extensions, by point and name. */
    public synchronized List<RegisteredExtension> extensions() {
        if (extensions == null) {
            if (building) {
                throw new IllegalStateException("an extension used the ExtensionRegistry in its constructor;"
                        + " look extensions up when they are used instead");
            }
            building = true;
            try {
                List<RegisteredExtension> found = new ArrayList<>();
                collect(PluginReport.SYSTEM, null, found);
                manager.getStartedPlugins().stream().sorted(Comparator.comparing(PluginWrapper::getPluginId))
                        .forEach(p -> collect(p.getPluginId(), p, found));
                extensions = List.copyOf(found);
            } finally {
                building = false;
            }
        }
        return extensions;
    }

    /** What went wrong with the extensions of {@code source} (a plugin id or {@code system}). */
    public synchronized List<String> problems(String source) {
        extensions();
        return List.copyOf(problems.getOrDefault(source, List.of()));
    }

    private void collect(String source, PluginWrapper plugin, List<RegisteredExtension> into) {
        List<Class<?>> classes = manager.getExtensionClasses(plugin == null ? null : plugin.getPluginId());
        if (plugin != null) {
            // PF4J passes over (and only logs) a class its extensions.idx names but cannot load
            Set<String> loaded = new java.util.HashSet<>();
            classes.forEach(c -> loaded.add(c.getName()));
            for (String name : new java.util.TreeSet<>(manager.getExtensionClassNames(plugin.getPluginId()))) {
                if (!loaded.contains(name)) {
                    problem(source, "its extensions.idx names " + name + ", which the plugin file does not hold "
                            + "(or which cannot be loaded): rebuild the plugin");
                }
            }
        }
        for (Class<?> type : classes) {
            // a plugin without its own extensions.idx sees the platform's: those are not its extensions
            if (plugin != null && type.getClassLoader() != plugin.getPluginClassLoader()) {
                continue;
            }
            Object instance;
            try {
                instance = manager.getExtensionFactory().create(type);
            } catch (RuntimeException | LinkageError e) {
                // the factory wraps Guice's error; show what went wrong inside
                Throwable cause = e instanceof PluginRuntimeException && e.getCause() != null ? e.getCause() : e;
                problem(source, type.getSimpleName() + ": " + ErrorText.firstLine(cause));
                continue;
            }
            if (!(instance instanceof Named named)) {
                continue; // an extension point of a plugin's own, not something specs refer to
            }
            String name = named.name();
            if (name == null || name.isBlank()) {
                problem(source, type.getSimpleName() + ": name() is empty");
                continue;
            }
            for (Class<? extends Named> point : namedPoints(type)) {
                into.add(new RegisteredExtension(point, name, named, source));
            }
        }
    }

    private void problem(String source, String message) {
        problems.computeIfAbsent(source, s -> new ArrayList<>()).add(message);
    }

    /** The interfaces of {@code type} that are extension points specs can name. */
    @SuppressWarnings("unchecked")
    static Set<Class<? extends Named>> namedPoints(Class<?> type) {
        Set<Class<? extends Named>> points = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            addPoints(c.getInterfaces(), points);
        }
        return points;
    }

    @SuppressWarnings("unchecked")
    private static void addPoints(Class<?>[] interfaces, Set<Class<? extends Named>> into) {
        for (Class<?> i : interfaces) {
            if (i != Named.class && Named.class.isAssignableFrom(i) && ExtensionPoint.class.isAssignableFrom(i)) {
                into.add((Class<? extends Named>) i);
            }
            addPoints(i.getInterfaces(), into);
        }
    }
}
