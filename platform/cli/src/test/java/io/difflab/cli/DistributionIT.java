package io.difflab.cli;

import io.difflab.api.Metric;
import io.difflab.api.ModelFamily;
import io.difflab.api.Sampler;
import io.difflab.api.UserError;
import io.difflab.cli.fixtures.FixturePlugins;
import io.difflab.cli.fixtures.ToyModel;
import io.difflab.host.inject.Host;
import io.difflab.host.plugin.PluginReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built distribution (platform/cli/target/difflab): its layout, its plugin files (built by
 * the reactor) loaded by the real plugin manager, and deliberately broken plugin files, built in a
 * temporary folder, reported with their reasons while the good ones load.
 */
class DistributionIT {

    private static final Path DIST = Launcher.DIST;

    @TempDir
    Path folder;

    @Test
    void layoutHasLauncherLibrariesAndPlugins() throws IOException {
        assertTrue(Files.isExecutable(DIST.resolve("bin/difflab")));
        List<String> libs = names(DIST.resolve("lib"));
        for (String prefix : List.of("difflab-cli-", "difflab-host-", "difflab-kit-", "difflab-api-", "pf4j-", "guice-", "api-",
                "pytorch-engine-", "pytorch-jni-", "picocli-", "snakeyaml-")) {
            assertTrue(libs.stream().anyMatch(n -> n.startsWith(prefix) && n.endsWith(".jar")), prefix + " in " + libs);
        }
        boolean cpu = libs.stream().anyMatch(n -> n.startsWith("pytorch-native-cpu-"));
        assertEquals("cpu".equals(System.getProperty("difflab.distribution.native")), cpu,
                "the cpu profile (default) ships the CPU native jar; -Pgpu does not: " + libs);
        assertTrue(Files.isDirectory(DIST.resolve("plugins")));
        assertTrue(names(DIST.resolve("plugins")).stream().allMatch(n -> n.endsWith(".jar")));
    }

    @Test
    void everyPluginFileOfTheDistributionStartsWithExtensions() throws IOException {
        List<String> files = names(DIST.resolve("plugins"));
        try (Host host = Host.start(List.of(DIST.resolve("plugins")), Difflab.extraModules())) {
            Map<String, PluginReport> reports = byId(host.pluginReports());
            assertEquals(files.size() + 1, reports.size(), "one report per plugin file, plus system: " + reports.keySet());
            for (PluginReport r : reports.values()) {
                assertEquals("STARTED", r.state(), r.toString());
                assertNull(r.failure(), r.toString());
                if (!r.id().equals(PluginReport.SYSTEM)) {
                    assertTrue(r.extensionCount() > 0, r + " has no extensions");
                }
            }
            assertEquals(List.of(), host.registry().duplicates());
        }
    }

    @Test
    void brokenPluginsAreReportedWhileTheGoodOnesLoad() throws Exception {
        FixturePlugins.writeGood(folder);
        FixturePlugins.writeBroken(folder);
        int distributed = names(DIST.resolve("plugins")).size();
        try (Host host = Host.start(List.of(folder, DIST.resolve("plugins")), Difflab.extraModules())) {
            Map<String, PluginReport> reports = byId(host.pluginReports());
            assertEquals(distributed + 1 + 8, reports.size(), reports.keySet().toString());

            PluginReport toy = reports.get(FixturePlugins.TOY);
            assertEquals("STARTED", toy.state());
            assertNull(toy.failure());
            assertEquals(List.of("model", "dataset", "schedule", "estimator", "sampler", "guidance", "metric"),
                    List.copyOf(toy.extensions().keySet()));
            assertEquals(List.of("toy-sampler"), toy.extensions().get("sampler"));
            assertEquals(Map.of("metric", List.of("needs-toy")), reports.get(FixturePlugins.NEEDS_TOY).extensions());

            assertEquals(Map.of("metric", List.of("zipped-metric")), reports.get(FixturePlugins.ZIPPED).extensions(),
                    "a zip plugin file loads too");

            PluginReport half = reports.get(FixturePlugins.HALF_BROKEN);
            assertEquals("STARTED", half.state());
            assertEquals("FailingMetric: IllegalStateException: deliberately broken constructor", half.failure());

            assertFailed(reports, FixturePlugins.BAD_REQUIRES, "requires platform API >=99.0.0, but this platform's API is "
                    + io.difflab.host.plugin.PlatformVersion.current().kit());
            assertFailed(reports, FixturePlugins.BAD_DEPENDENCY, "needs plugin 'not-installed', which is not installed");
            assertFailed(reports, FixturePlugins.BAD_START, "start() failed: IllegalStateException: deliberately broken start()");
            assertTrue(reports.get(FixturePlugins.NOT_A_PLUGIN).failure().startsWith("not a plugin file"),
                    reports.get(FixturePlugins.NOT_A_PLUGIN).toString());

            // the good extensions work, created by the injector inside their plugin's class loader
            // (their classes come from the plugin files, not from this test's class path: reflection, not casts)
            ModelFamily model = host.registry().get(ModelFamily.class, "toy");
            assertTrue(model.getClass().getClassLoader() != ToyModel.class.getClassLoader(), "loaded from the plugin file");
            assertSame(host.registry(), field(model, "registry"));
            Metric needs = host.registry().get(Metric.class, "needs-toy");
            assertSame(model.getClass().getClassLoader(), field(needs, "toyLoader"),
                    "a dependency's classes come from the dependency's plugin file");
            assertThrows(UserError.class, () -> host.registry().get(Sampler.class, "never-loaded"));
            assertThrows(UserError.class, () -> host.registry().get(Metric.class, "failing-metric"));
        }
    }

    @Test
    void theFirstFolderWinsWhenTwoFilesProvideOnePlugin() throws Exception {
        Path mine = Files.createDirectory(folder.resolve("mine"));
        Path other = Files.createDirectory(folder.resolve("other"));
        FixturePlugins.writeGood(mine);
        Files.copy(mine.resolve("toy-1.0.0.jar"), other.resolve("toy-copy.jar"));
        try (Host host = Host.start(List.of(mine, other), Difflab.extraModules())) {
            Map<String, PluginReport> reports = byId(host.pluginReports());
            assertEquals("STARTED", reports.get(FixturePlugins.TOY).state());
            assertEquals("plugin 'toy' is already loaded from " + mine.resolve("toy-1.0.0.jar") + "; this file is ignored",
                    reports.get("toy-copy.jar").failure());
            assertEquals(List.of(), host.registry().duplicates());
        }
    }

    @Test
    void launcherListsPluginsWithReasons() throws Exception {
        FixturePlugins.writeGood(folder);
        FixturePlugins.writeBroken(folder);
        Launcher.Result r = Launcher.launch(folder, 120, "plugins", "--plugins-dir", folder.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("PLUGIN"), r.out());
        assertTrue(r.out().contains("\nsystem "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("toy\\s+1\\.0\\.0\\s+STARTED\\s+model: toy")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("broken-start\\s+1\\.0\\.0\\s+FAILED\\s+-")), r.out());
        assertTrue(r.out().contains("  ! start() failed: IllegalStateException: deliberately broken start()"), r.out());
        assertTrue(r.out().contains("  ! needs plugin 'not-installed', which is not installed"), r.out());
        assertTrue(r.err().isEmpty(), "no log noise or stack traces on stderr: " + r.err());
    }

    @Test
    void launcherValidateNamesAMisspelledKeyAndExits2() throws Exception {
        FixturePlugins.writeGood(folder);
        FixturePlugins.writeBroken(folder);
        Path spec = Files.writeString(folder.resolve("typo.yaml"), "model: toy\ndataset: toy-data\ntrain: {stpes: 5}\n");
        Launcher.Result r = Launcher.launch(folder, 120, "validate", spec.toString(), "--plugins-dir", folder.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("train.stpes: unknown key; did you mean 'steps'?"), r.err());
        assertTrue(r.err().contains("note: plugins that failed (see `difflab plugins`): broken-dependency, broken-requires, "
                + "broken-start, half-broken, not-a-plugin.jar"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    /**
     * Validation assembles the run's model with the real plugins, so settings that only fail when they
     * meet (found after a whole training before) are reported at once, each naming its key. (The gd
     * family with the quickstart's U-Net itself is valid: 32 channels per head divide its 32-channel
     * attention level.)
     */
    @Test
    void validateAssemblesTheModelAndReportsWhatDoesNotFitTogether() throws Exception {
        Path quickstart = Path.of(System.getProperty("difflab.repository", "../..")).resolve(
                "experiments/quickstart.yaml").toAbsolutePath();
        Launcher.Result classifier = Launcher.launch(folder, 120, "validate", quickstart.toString(),
                "--set", "guidance.name=classifier");
        assertEquals(2, classifier.code(), classifier.toString());
        assertTrue(classifier.err().contains("guidance.name: guidance 'classifier' needs a trained network "
                + "'classifier', but model 'ddpm' trains [estimator]"), classifier.err());
        Launcher.Result learned = Launcher.launch(folder, 120, "validate", quickstart.toString(),
                "--set", "sampler.variance=learned");
        assertEquals(2, learned.code(), learned.toString());
        assertTrue(learned.err().contains("sampler.variance: 'learned' needs an estimator that learns its variance"),
                learned.err());
        Launcher.Result heads = Launcher.launch(folder, 120, "validate", quickstart.toString(),
                "--set", "model.name=gd", "--set", "estimator.num_head_channels=12");
        assertEquals(2, heads.code(), heads.toString());
        assertTrue(heads.err().contains("estimator.num_head_channels: 12 does not divide"), heads.err());
        for (Launcher.Result r : List.of(classifier, learned, heads)) {
            assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), "one message: " + r.err());
        }
        assertTrue(!Files.exists(folder.resolve("runs")), "validation creates nothing");
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        return target.getClass().getField(name).get(target);
    }

    private static void assertFailed(Map<String, PluginReport> reports, String id, String reason) {
        PluginReport r = reports.get(id);
        assertEquals("FAILED", r.state(), r.toString());
        assertEquals(reason, r.failure());
        assertEquals(Map.of(), r.extensions());
    }

    private static Map<String, PluginReport> byId(List<PluginReport> reports) {
        return reports.stream().collect(Collectors.toMap(PluginReport::id, Function.identity()));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
