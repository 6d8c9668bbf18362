package io.difflab.cli;

import io.difflab.cli.fixtures.FixturePlugins;
import io.difflab.cli.fixtures.NeverLoadedSampler;
import io.difflab.cli.fixtures.PluginJar;
import io.difflab.host.inject.Host;
import io.difflab.host.plugin.PlatformVersion;
import io.difflab.host.plugin.PluginReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugin files that cannot be used, each listed by {@code difflab plugins} with a reason in words
 * (never a PF4J class name): a damaged zip, a truncated jar, a jar without a manifest, and a plugin
 * whose extensions.idx names a class its file does not hold.
 */
class BrokenPluginFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyUnusablePluginFileIsListedWithItsReason() throws Exception {
        String requires = ">=" + PlatformVersion.current().kit();
        Files.write(dir.resolve("damaged.zip"), "PK\u0003\u0004 this is no zip archive".getBytes());
        Path whole = PluginJar.plugin("cut", "1.0.0", requires).extension(NeverLoadedSampler.class)
                .write(dir.resolve("whole.tmp"));
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(dir.resolve("cut-1.0.0.jar"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.delete(whole);
        try (OutputStream out = Files.newOutputStream(dir.resolve("no-manifest.jar"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("io/difflab/Nothing.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        }
        PluginJar.plugin("ghost", "1.0.0", requires).extension(NeverLoadedSampler.class)
                .extensionWithoutClass("io.difflab.cli.fixtures.GhostMetric").write(dir.resolve("ghost-1.0.0.jar"));
        FixturePlugins.writeGood(dir);

        try (Host host = Host.start(List.of(dir), Difflab.extraModules())) {
            Map<String, PluginReport> reports = host.pluginReports().stream()
                    .collect(Collectors.toMap(PluginReport::id, Function.identity()));
            assertTrue(reports.get("damaged.zip").failure().startsWith("not a readable zip file"),
                    reports.get("damaged.zip").toString());
            assertTrue(reports.get("cut-1.0.0.jar").failure().startsWith("not a readable jar file"),
                    reports.get("cut-1.0.0.jar").toString());
            assertEquals("not a plugin file: it has no META-INF/MANIFEST.MF (a plugin's names Plugin-Id and "
                    + "Plugin-Version)", reports.get("no-manifest.jar").failure());
            PluginReport ghost = reports.get("ghost");
            assertEquals("STARTED", ghost.state());
            assertEquals("its extensions.idx names io.difflab.cli.fixtures.GhostMetric, which the plugin file does not "
                    + "hold (or which cannot be loaded): rebuild the plugin", ghost.failure());
            assertEquals(List.of("never-loaded"), ghost.extensions().get("sampler"), "its other extensions work");
            assertEquals("STARTED", reports.get(FixturePlugins.TOY).state(), "the good plugins load as usual");
        }

        StringWriter out = new StringWriter();
        try (Difflab app = new Difflab(Map.of(), null)) {
            assertEquals(0, Difflab.commandLine(app).setOut(new PrintWriter(out)).execute("plugins", "--plugins-dir",
                    dir.toString()));
        }
        String listing = out.toString();
        for (String line : List.of("  ! not a readable zip file", "  ! not a readable jar file",
                "  ! not a plugin file: it has no META-INF/MANIFEST.MF", "  ! its extensions.idx names")) {
            assertTrue(listing.contains(line), line + " in\n" + listing);
        }
        assertFalse(listing.contains("PluginRuntimeException") || listing.contains("org.pf4j"), listing);
    }
}
