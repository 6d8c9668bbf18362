package io.difflab.host.plugin;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin contract: a plugin's main code compiles against the api and the kit only. Host,
 * tracking and command-line code are the platform's own; a plugin importing them would break as
 * soon as they change, without its {@code Plugin-Requires} saying so.
 */
class PluginContractTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?(io\\.difflab\\.(host|tracking|cli)\\.[\\w.]+)", Pattern.MULTILINE);

    /** The repository root, from this module's folder (platform/host). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

    @Test
    void pluginMainSourcesImportNeitherHostNorTrackingNorCli() {
        List<Path> sources = pluginMainSources();
        assertTrue(sources.size() > 10, "expected the plugins' sources under " + ROOT + ", found " + sources.size());
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            Matcher m = FORBIDDEN.matcher(read(source));
            while (m.find()) {
                violations.add(ROOT.relativize(source) + " imports " + m.group(2));
            }
        }
        assertEquals(List.of(), violations, "plugins may use io.difflab.api and io.difflab.kit only");
    }

    @Test
    void theCheckFindsAHostImport() {
        String offending = "package x;\n\nimport io.difflab.host.run.Networks;\nimport io.difflab.kit.nn.UNet;\n";
        Matcher m = FORBIDDEN.matcher(offending);
        assertTrue(m.find());
        assertEquals("io.difflab.host.run.Networks", m.group(2));
    }

    private static List<Path> pluginMainSources() {
        List<Path> out = new ArrayList<>();
        for (String top : List.of("plugins", "datasets")) {
            Path dir = ROOT.resolve(top);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().contains("/src/main/java/"))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
