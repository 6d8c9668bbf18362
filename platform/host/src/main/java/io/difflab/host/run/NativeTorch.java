package io.difflab.host.run;

import ai.djl.util.Utils;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The PyTorch native library this process would load, found the way DJL 0.36's engine looks for
 * one (its {@code LibUtils}) but without loading it, so that a run can be refused before anything
 * is created: a libtorch folder named by {@code PYTORCH_LIBRARY_PATH}, the native jar bundled in
 * the distribution ({@code pytorch-native-cpu} unless built with {@code -Pgpu}), a build DJL
 * extracted or downloaded earlier into its cache folder, or none (DJL then downloads one from
 * publish.djl.ai on first use, which an offline machine cannot).
 *
 * @param source   where the library comes from
 * @param cuda     whether it is a CUDA build (a {@code cu*} flavor, or {@code libtorch_cuda.so} beside it)
 * @param where    what was found, for messages (a folder, or the bundled jar's version and flavor)
 * @param cacheDir DJL's cache folder for PyTorch ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR},
 *                 else {@code ~/.djl.ai}; then {@code pytorch/})
 * @param version  the PyTorch version this engine loads by default (its JNI library is built for it)
 */
public record NativeTorch(Source source, boolean cuda, String where, Path cacheDir, String version) {

    /** Where a native library is found, in DJL's order. */
    public enum Source { LIBRARY_PATH, BUNDLED, CACHE, NONE }

    /** The CUDA flavor DJL 0.36's JNI library is built for (its pytorch-jni jar holds cpu and cu128). */
    public static final String CUDA_FLAVOR = "cu128";

    private static final String LIBTORCH = System.mapLibraryName("torch");
    private static final String LIBTORCH_CUDA = System.mapLibraryName("torch_cuda");

    /** What this process would load. */
    public static NativeTorch ofThisProcess() {
        ClassLoader loader = NativeTorch.class.getClassLoader();
        return find(System.getenv(), loader, Utils.getEngineCacheDir("pytorch"), engineVersion(loader));
    }

    /** The PyTorch version DJL's engine jar is built for ({@code pytorch_version} in its properties). */
    static String engineVersion(ClassLoader loader) {
        URL url = loader.getResource("pytorch-engine.properties");
        if (url == null) {
            return "unknown";
        }
        try (InputStream in = url.openStream()) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("pytorch_version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    /** What a process with environment {@code env}, classes from {@code loader} and DJL cache {@code cacheDir} would load. */
    static NativeTorch find(Map<String, String> env, ClassLoader loader, Path cacheDir, String version) {
        String libraryPath = env.get("PYTORCH_LIBRARY_PATH");
        if (libraryPath != null && !libraryPath.isBlank()) {
            for (String entry : libraryPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                Path dir = Files.isRegularFile(p) && p.getFileName().toString().equals(LIBTORCH) ? p.getParent() : p;
                if (Files.isRegularFile(dir.resolve(LIBTORCH))) {
                    return new NativeTorch(Source.LIBRARY_PATH, Files.isRegularFile(dir.resolve(LIBTORCH_CUDA)),
                            dir + " (PYTORCH_LIBRARY_PATH)", cacheDir, version);
                }
            }
        }
        Optional<Properties> bundled = bundled(loader);
        if (bundled.isPresent()) {
            String flavor = bundled.get().getProperty("flavor", "cpu");
            return new NativeTorch(Source.BUNDLED, flavor.startsWith("cu"), "PyTorch " + bundled.get().getProperty(
                    "version", version) + " " + flavor + " bundled in the distribution", cacheDir, version);
        }
        String wanted = env.get("PYTORCH_FLAVOR");
        Optional<Path> cached = cached(cacheDir, version, wanted);
        if (cached.isPresent()) {
            String name = cached.get().getFileName().toString();
            return new NativeTorch(Source.CACHE, name.contains("-cu"), cached.get() + " (DJL's cache)", cacheDir, version);
        }
        return new NativeTorch(Source.NONE, false, "no PyTorch library", cacheDir, version);
    }

    /** The folder a CUDA build of this version goes into in DJL's cache. */
    public Path cudaCacheFolder() {
        return cacheDir.resolve(release(version) + "-" + CUDA_FLAVOR + "-linux-x86_64");
    }

    private static Optional<Properties> bundled(ClassLoader loader) {
        URL url = loader.getResource("native/lib/pytorch.properties");
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    /** A cache folder {@code <version>[-<build>]-<flavor>-<classifier>} holding libtorch; a CUDA one first. */
    private static Optional<Path> cached(Path cacheDir, String version, String flavor) {
        if (!Files.isDirectory(cacheDir)) {
            return Optional.empty();
        }
        String release = release(version);
        try (Stream<Path> dirs = Files.list(cacheDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(release + "-"))
                    .filter(d -> flavor == null || d.getFileName().toString().contains("-" + flavor + "-"))
                    .filter(d -> Files.isRegularFile(d.resolve(LIBTORCH)))
                    .max(Comparator.comparing((Path d) -> d.getFileName().toString().contains("-cu"))
                            .thenComparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 2.7.1} of {@code 2.7.1-20250812}. */
    private static String release(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }
}
