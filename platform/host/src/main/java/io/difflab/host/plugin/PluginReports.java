package io.difflab.host.plugin;

import io.difflab.host.registry.ExtensionKind;
import io.difflab.host.registry.RegisteredExtension;
import org.pf4j.PluginWrapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the {@link PluginReport}s of a started host: the platform's own first, then by plugin id. */
public final class PluginReports {

    private PluginReports() { }

    /** One report per plugin (loaded or not) plus one for the platform's own extensions. */
    public static List<PluginReport> of(DifflabPluginManager manager, ExtensionCatalog catalog, String release) {
        List<RegisteredExtension> extensions = catalog.extensions();
        List<PluginReport> reports = new ArrayList<>();
        reports.add(new PluginReport(PluginReport.SYSTEM, release, "STARTED",
                grouped(extensions, PluginReport.SYSTEM), joined(catalog.problems(PluginReport.SYSTEM))));
        List<PluginReport> plugins = new ArrayList<>(manager.droppedPlugins());
        for (PluginWrapper p : manager.getPlugins()) {
            String id = p.getPluginId();
            String failure = manager.failure(id);
            if (failure == null) {
                failure = joined(catalog.problems(id));
            }
            plugins.add(new PluginReport(id, p.getDescriptor().getVersion(), p.getPluginState().toString(),
                    grouped(extensions, id), failure));
        }
        plugins.sort(Comparator.comparing(PluginReport::id));
        reports.addAll(plugins);
        return List.copyOf(reports);
    }

    /** Names by kind label, kinds in API order, then other points alphabetically. */
    static Map<String, List<String>> grouped(List<RegisteredExtension> extensions, String source) {
        Map<String, List<String>> byLabel = new TreeMap<>();
        for (RegisteredExtension e : extensions) {
            if (e.source().equals(source)) {
                byLabel.computeIfAbsent(ExtensionKind.labelOf(e.point()), k -> new ArrayList<>()).add(e.name());
            }
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        Arrays.stream(ExtensionKind.values()).map(ExtensionKind::label)
                .filter(byLabel::containsKey).forEach(l -> ordered.put(l, sorted(byLabel.get(l))));
        byLabel.forEach((label, names) -> ordered.putIfAbsent(label, sorted(names)));
        return ordered;
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().distinct().toList();
    }

    private static String joined(List<String> problems) {
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
