import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Build step of the distribution (run by the cli module's pom with Java's source launcher):
 * copies the plugin files the reactor built into the distribution's plugins/ folder.
 *
 * <p>Usage: {@code java CollectPluginFiles.java <plugins/> <module folder>...}. A plugin file is a
 * jar in a module's {@code target/} whose manifest has a {@code Plugin-Id} (the plugin parent's
 * assembly writes {@code target/<plugin.id>-<plugin.version>.jar}); the module's ordinary jar has
 * none and is skipped. When a module's target/ holds several files of one plugin id (an older
 * version left from an earlier build), the newest is taken.
 */
public final class CollectPluginFiles {

    public static void main(String[] args) throws IOException {
        Path into = Path.of(args[0]);
        Files.createDirectories(into);
        Map<String, Path> byId = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            for (Path jar : candidates(Path.of(args[i]))) {
                String id = pluginId(jar);
                if (id == null) {
                    continue;
                }
                Path other = byId.get(id);
                if (other != null && !other.getParent().equals(jar.getParent())) {
                    throw new IllegalStateException("two modules build plugin '" + id + "': " + other + " and " + jar);
                }
                if (other == null || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(other)) > 0) {
                    byId.put(id, jar);
                }
            }
        }
        for (Path jar : byId.values()) {
            Files.copy(jar, into.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("[distribution] " + byId.size() + " plugin file(s) in " + into + ": " + byId.keySet());
    }

    /** Jars directly in {@code <module>/target/} for every module folder under {@code root} (two levels deep). */
    private static List<Path> candidates(Path root) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return jars;
        }
        try (Stream<Path> files = Files.find(root, 4, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().endsWith(".jar")
                && p.getParent().getFileName().toString().equals("target"))) {
            files.sorted(Comparator.naturalOrder()).forEach(jars::add);
        }
        return jars;
    }

    private static String pluginId(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            String id = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
            return id == null || id.isBlank() ? null : id;
        }
    }
}
