package io.difflab.host.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code difflab plugins} shows for one plugin: its id and version, its state (STARTED,
 * FAILED, DISABLED, ...), its extensions by kind ({@code schedule -> [cosine, linear]}) and,
 * when something went wrong, why. The extensions built into the platform are one report
 * with the id {@value #SYSTEM}.
 *
 * @param id         the plugin id, or the file name when the file has none
 * @param version    the plugin version, or {@code ?} when unknown
 * @param state      PF4J's state name
 * @param extensions extension names keyed by kind, in a stable order
 * @param failure    why it failed or which of its extensions failed; {@code null} when all is well
 */
public record PluginReport(String id, String version, String state, Map<String, List<String>> extensions,
                           String failure) {

    /** The id under which the platform's own (classpath) extensions are reported. */
    public static final String SYSTEM = "system";

    public PluginReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        version = version == null ? "?" : version;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extensions.forEach((kind, names) -> copy.put(kind, List.copyOf(names)));
        extensions = java.util.Collections.unmodifiableMap(copy);
    }

    /** A plugin that never got far enough to have extensions. */
    static PluginReport failed(String id, String version, String failure) {
        return new PluginReport(id, version, "FAILED", Map.of(), failure);
    }

    /** Whether nothing went wrong. */
    public boolean ok() {
        return failure == null;
    }

    /** The number of extensions it provides. */
    public int extensionCount() {
        return extensions.values().stream().mapToInt(List::size).sum();
    }
}
