package io.difflab.host.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** What is wrong with a plugin file PF4J could not use, in words (PF4J's own messages name its classes). */
final class PluginFiles {

    private PluginFiles() { }

    /** The zip files in {@code roots} that cannot be read as zip archives (truncated, not a zip at all). */
    static List<Path> unreadableZips(List<Path> roots) {
        List<Path> bad = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.list(root)) {
                for (Path f : files.filter(PluginFiles::isZip).sorted().toList()) {
                    if (whyUnreadable(f) != null) {
                        bad.add(f);
                    }
                }
            } catch (IOException e) {
                // the folder is reported unreadable by PF4J's own listing
            }
        }
        return bad;
    }

    /** Why {@code file} is not a readable zip or jar archive, or null when it is one. */
    static String whyUnreadable(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> { });
            return null;
        } catch (IOException | RuntimeException e) {
            return "not a readable " + (isZip(file) ? "zip" : "jar") + " file (" + (e.getMessage() == null
                    ? "damaged" : e.getMessage()) + "): rebuild or download it again";
        }
    }

    /** Why PF4J found no descriptor in {@code file}: not an archive, or an archive without a plugin manifest. */
    static String withoutDescriptor(Path file) {
        String unreadable = Files.isRegularFile(file) ? whyUnreadable(file) : null;
        if (unreadable != null) {
            return unreadable;
        }
        if (Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
            try (JarFile jar = new JarFile(file.toFile())) {
                Manifest manifest = jar.getManifest();
                if (manifest == null) {
                    return "not a plugin file: it has no META-INF/MANIFEST.MF (a plugin's names Plugin-Id and "
                            + "Plugin-Version)";
                }
            } catch (IOException e) {
                return "not a readable jar file (" + e.getMessage() + ")";
            }
        }
        return "not a plugin file: no plugin descriptor (a manifest with Plugin-Id and Plugin-Version, or "
                + "plugin.properties)";
    }

    private static boolean isZip(Path f) {
        return Files.isRegularFile(f) && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }
}
