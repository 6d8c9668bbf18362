package io.difflab.datasets.it;

import io.difflab.api.Config;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ImageDataset;
import io.difflab.api.Option;
import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dataset plugin files as the build wrote them ({@code datasets/<id>/target/<id>-<version>.jar}),
 * each copied alone into a plugins folder and loaded by a plain PF4J plugin manager.
 */
class DatasetPluginFilesIT {

    /** What the host provides: a plugin file that bundles any of these breaks class loading. */
    private static final List<String> HOST_PACKAGES = List.of("io/difflab/api/", "io/difflab/kit/", "io/difflab/host/", "ai/djl/",
            "org/pf4j/", "org/slf4j/", "jakarta/inject/", "com/google/inject/");

    @TempDir
    Path plugins;

    private static Path pluginFile(String id) {
        Path datasets = Path.of(System.getProperty("difflab.datasets.dir", ".."));
        String version = System.getProperty("difflab.plugin.version", "0.1.0");
        Path jar = datasets.resolve(id).resolve("target").resolve(id + "-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), "the build did not write " + jar.toAbsolutePath().normalize());
        return jar;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fashion-mnist", "image-folder", "shapes-captions"})
    void thePluginFileHasItsManifestAndExtensionIndexAndNothingOfTheHost(String id) throws IOException {
        try (JarFile jar = new JarFile(pluginFile(id).toFile())) {
            Manifest manifest = jar.getManifest();
            assertEquals(id, manifest.getMainAttributes().getValue("Plugin-Id"));
            assertNotNull(manifest.getMainAttributes().getValue("Plugin-Version"));
            assertNotNull(manifest.getMainAttributes().getValue("Plugin-Requires"));
            assertNotNull(jar.getEntry("META-INF/extensions.idx"), "no META-INF/extensions.idx");
            List<String> bundled = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .filter(name -> HOST_PACKAGES.stream().anyMatch(name::startsWith))
                    .toList();
            assertEquals(List.of(), bundled, "classes the host provides are bundled");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fashion-mnist", "image-folder", "shapes-captions"})
    void aPlainPluginManagerFindsTheDatasetProvider(String id) {
        withPlugin(id, provider -> assertEquals(id, provider.name()));
    }

    @Test
    void fashionMnistLoadsRealImagesThroughThePlugin() {
        withPlugin("fashion-mnist", provider -> {
            ImageDataset test = provider.load(config(provider, Map.of("limit", 16)), Split.TEST);
            assertEquals(16, test.size());
            assertEquals(9, test.label(0));
            assertEquals("Ankle boot", test.classNames().get(9));
            assertEquals(64, test.checksum().length());
        });
    }

    @Test
    void imageFolderLoadsAFolderThroughThePlugin(@TempDir Path images) throws IOException {
        for (int i = 0; i < 4; i++) {
            BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
            image.setRGB(5, 5, 0xffffff);
            ImageIO.write(image, "png", images.resolve("img" + i + ".png").toFile());
        }
        withPlugin("image-folder", provider -> {
            ImageDataset train = provider.load(config(provider, Map.of("folder", images.toString(),
                    "image_size", 10, "test_fraction", 0.25)), Split.TRAIN);
            assertEquals(3, train.size());
            float[] pixels = new float[train.shape().size()];
            train.copyImage(0, pixels, 0);
            assertEquals(1f, pixels[5 * 10 + 5]);
            assertEquals(-1f, pixels[0]);
        });
    }

    @Test
    void shapesCaptionsGeneratesItsImagesThroughThePlugin(@TempDir Path cache) {
        withPlugin("shapes-captions", provider -> {
            ImageDataset test = provider.load(config(provider, Map.of("folder", cache.toString(), "test_size", 500)),
                    Split.TEST);
            assertEquals(500, test.size());
            assertEquals(3, test.shape().channels());
            assertEquals(32, test.shape().height());
            assertEquals(4, test.numClasses());
            // the checksum ShapesCaptionsProviderTest fixes for these 500 images
            assertEquals("7cd7df8834f403fb4226646c6b5bbe2c52eb3568d92165146f89e4fb2f37149f", test.checksum());
            for (int i = 0; i < test.size(); i++) {
                String caption = test.caption(i);
                assertNotNull(caption);
                assertTrue(caption.matches("(a|an|two|three|four) .*"), caption);
            }
            ImageDataset again = provider.load(config(provider, Map.of("folder", cache.toString(), "test_size", 500)),
                    Split.TEST);
            assertEquals(test.checksum(), again.checksum(), "read back from the plugin's cache");
        });
    }

    /** Loads only plugin {@code id} from a copy of its file, and hands its one DatasetProvider to {@code check}. */
    private void withPlugin(String id, Consumer<DatasetProvider> check) {
        Path jar = pluginFile(id);
        try {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        PluginManager manager = new DefaultPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            PluginWrapper plugin = manager.getPlugin(id);
            assertNotNull(plugin, "PF4J did not load " + jar);
            assertEquals(PluginState.STARTED, plugin.getPluginState(), () -> "failed: " + plugin.getFailedException());
            List<DatasetProvider> providers = manager.getExtensions(DatasetProvider.class, id);
            assertEquals(1, providers.size(), "DatasetProvider extensions in " + jar);
            DatasetProvider provider = providers.get(0);
            assertSame(plugin.getPluginClassLoader(), provider.getClass().getClassLoader(),
                    "the provider must come from the plugin file");
            check.accept(provider);
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }

    private static Config config(DatasetProvider provider, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Option option : provider.options()) {
            if (!option.required()) {
                all.put(option.key(), option.defaultValue());
            }
        }
        all.putAll(values);
        return new Config("dataset", all);
    }
}
