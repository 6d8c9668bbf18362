package io.difflab.host.plugin;

import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginWrapper;

import java.nio.file.Path;
import java.util.Map;

/** Says in one line why PF4J could not load a plugin file. */
final class LoadFailures {

    private LoadFailures() { }

    /**
     * @param e       what PF4J threw while loading {@code file}
     * @param file    the plugin file
     * @param plugins the plugins already loaded, by id
     */
    static String describe(RuntimeException e, Path file, Map<String, PluginWrapper> plugins) {
        String unreadable = java.nio.file.Files.isRegularFile(file) ? PluginFiles.whyUnreadable(file) : null;
        if (unreadable != null) {
            return unreadable;
        }
        if (e instanceof InvalidPluginDescriptorException) {
            return "not a plugin file: its manifest lacks Plugin-Id or Plugin-Version (" + e.getMessage() + ")";
        }
        if (e.getMessage() != null && e.getMessage().contains("No PluginDescriptorFinder")) {
            return PluginFiles.withoutDescriptor(file);
        }
        for (PluginWrapper loaded : plugins.values()) {
            String id = loaded.getPluginId();
            if (e.getMessage() != null && e.getMessage().contains("same id (" + id + ")")) {
                return "plugin '" + id + "' is already loaded from " + loaded.getPluginPath()
                        + "; this file is ignored";
            }
        }
        String message = e.getMessage() == null ? ErrorText.describe(e) : e.getMessage().lines().findFirst().orElse("");
        return "cannot load " + file + ": " + message;
    }
}
