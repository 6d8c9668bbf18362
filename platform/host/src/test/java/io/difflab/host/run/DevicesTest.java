package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Devices} and {@link NativeTorch}: a GPU asked of a process without a CUDA libtorch or
 * without a GPU is refused naming what to do (PYTORCH_LIBRARY_PATH, DJL's cache folder, the
 * flavor, the GPU build); an engine that cannot start is a clear message, not an exception.
 */
class DevicesTest {

    @TempDir
    Path tmp;

    private NativeTorch torch(NativeTorch.Source source, boolean cuda) {
        return new NativeTorch(source, cuda, "libtorch somewhere", tmp.resolve("cache/pytorch"), "2.7.1");
    }

    private static IntSupplier gpus(int n, AtomicBoolean asked) {
        return () -> {
            asked.set(true);
            return n;
        };
    }

    private static void assertNamesWhatToDo(String message) {
        for (String hint : new String[] {"PYTORCH_LIBRARY_PATH", "libtorch_cuda.so", "2.7.1-cu128-linux-x86_64",
            "PYTORCH_FLAVOR=cu128", "publish.djl.ai"}) {
            assertTrue(message.contains(hint), hint + " in: " + message);
        }
    }

    @Test
    void theCpuDistributionRefusesAGpuBeforeStartingTheEngine() {
        AtomicBoolean asked = new AtomicBoolean();
        UserError e = assertThrows(UserError.class,
                () -> Devices.resolve("gpu", torch(NativeTorch.Source.BUNDLED, false), gpus(0, asked)));
        assertTrue(e.getMessage().contains("-Pgpu") && e.getMessage().contains("a CPU build"), e.getMessage());
        assertTrue(e.getMessage().contains("device: cpu"), e.getMessage());
        assertNamesWhatToDo(e.getMessage());
        assertFalse(asked.get(), "decided from the bundled jar alone");
    }

    @Test
    void aCpuLibtorchInPytorchLibraryPathIsRefusedForAGpu() {
        UserError e = assertThrows(UserError.class, () -> Devices.resolve("gpu:0",
                torch(NativeTorch.Source.LIBRARY_PATH, false), gpus(0, new AtomicBoolean())));
        assertTrue(e.getMessage().contains("Point PYTORCH_LIBRARY_PATH at a CUDA libtorch 2.7.1"), e.getMessage());
        assertNamesWhatToDo(e.getMessage());
    }

    @Test
    void anEngineThatCannotStartOfflineIsAClearMessage() {
        IntSupplier offline = () -> {
            throw new EngineException("Failed to save pytorch index file");
        };
        UserError gpu = assertThrows(UserError.class, () -> Devices.resolve("gpu", torch(NativeTorch.Source.NONE, false),
                offline));
        assertTrue(gpu.getMessage().startsWith("the PyTorch engine cannot start: Failed to save pytorch index file"),
                gpu.getMessage());
        assertTrue(gpu.getMessage().contains("download from publish.djl.ai failed"), gpu.getMessage());
        assertNamesWhatToDo(gpu.getMessage());
        UserError cpu = assertThrows(UserError.class, () -> Devices.resolve("cpu", torch(NativeTorch.Source.NONE, false),
                offline));
        assertTrue(cpu.getMessage().contains("bundles PyTorch's CPU library"), cpu.getMessage());
    }

    @Test
    void aCudaLibtorchWithoutAGpuIsRefusedNamingTheDriver() {
        UserError e = assertThrows(UserError.class, () -> Devices.resolve("gpu",
                torch(NativeTorch.Source.CACHE, true), gpus(0, new AtomicBoolean())));
        assertTrue(e.getMessage().contains("sees 0 GPUs") && e.getMessage().contains("nvidia-smi")
                && e.getMessage().contains("CUDA_VISIBLE_DEVICES"), e.getMessage());
        UserError second = assertThrows(UserError.class, () -> Devices.resolve("gpu:1",
                torch(NativeTorch.Source.CACHE, true), gpus(1, new AtomicBoolean())));
        assertTrue(second.getMessage().contains("sees 1 GPU"), second.getMessage());
        assertEquals(Device.gpu(1), Devices.resolve("gpu:1", torch(NativeTorch.Source.CACHE, true),
                gpus(2, new AtomicBoolean())));
        assertEquals(Device.gpu(), Devices.resolve("auto", torch(NativeTorch.Source.CACHE, true),
                gpus(1, new AtomicBoolean())));
    }

    @Test
    void unknownDevicesAreRefused() {
        for (String bad : new String[] {"tpu", "gpu:x", "gpu:-1", "cuda"}) {
            UserError e = assertThrows(UserError.class, () -> Devices.resolve(bad, torch(NativeTorch.Source.BUNDLED,
                    false), gpus(0, new AtomicBoolean())));
            assertTrue(e.getMessage().contains("is not one of auto, cpu, gpu, gpu:N"), e.getMessage());
        }
    }

    @Test
    void thisTestProcessHasTheBundledCpuLibraryAndRefusesAGpuForReal() {
        NativeTorch here = NativeTorch.ofThisProcess();
        assertEquals(NativeTorch.Source.BUNDLED, here.source(), here.toString());
        assertFalse(here.cuda());
        assertEquals(Device.cpu(), Devices.resolve("cpu"));
        assertEquals(Device.cpu(), Devices.resolve("auto"));
        UserError e = assertThrows(UserError.class, () -> Devices.resolve("gpu"));
        assertTrue(e.getMessage().contains("bundled in the distribution"), e.getMessage());
    }

    @Test
    void nativeLibrariesAreFoundWhereDjlLooksInItsOrder() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache/pytorch"));
        ClassLoader none = new URLClassLoader(new URL[0], null);
        assertEquals(NativeTorch.Source.NONE, NativeTorch.find(Map.of(), none, cache, "2.7.1").source());
        assertEquals(cache.resolve("2.7.1-cu128-linux-x86_64"), NativeTorch.find(Map.of(), none, cache, "2.7.1")
                .cudaCacheFolder());

        Path cpuCache = Files.createDirectories(cache.resolve("2.7.1-20250812-cpu-linux-x86_64"));
        Files.writeString(cpuCache.resolve(System.mapLibraryName("torch")), "");
        NativeTorch cpu = NativeTorch.find(Map.of(), none, cache, "2.7.1");
        assertEquals(NativeTorch.Source.CACHE, cpu.source());
        assertFalse(cpu.cuda());
        Path cudaCache = Files.createDirectories(cache.resolve("2.7.1-cu128-linux-x86_64"));
        Files.writeString(cudaCache.resolve(System.mapLibraryName("torch")), "");
        assertTrue(NativeTorch.find(Map.of(), none, cache, "2.7.1").cuda(), "a CUDA build in the cache is preferred");
        assertFalse(NativeTorch.find(Map.of("PYTORCH_FLAVOR", "cpu"), none, cache, "2.7.1").cuda(), "unless the flavor says");
        assertEquals(NativeTorch.Source.NONE, NativeTorch.find(Map.of(), none, cache, "2.5.1").source(),
                "another version's build is not this engine's");

        Path jar = Files.createDirectories(tmp.resolve("jar/native/lib"));
        Files.writeString(jar.resolve("pytorch.properties"), "version=2.7.1-20250812\nflavor=cpu\n");
        ClassLoader bundled = new URLClassLoader(new URL[] {tmp.resolve("jar").toUri().toURL()}, null);
        NativeTorch fromJar = NativeTorch.find(Map.of(), bundled, cache, "2.7.1");
        assertEquals(NativeTorch.Source.BUNDLED, fromJar.source(), "the bundled jar comes before the cache");
        assertFalse(fromJar.cuda());

        Path libtorch = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.writeString(libtorch.resolve(System.mapLibraryName("torch")), "");
        NativeTorch cpuPath = NativeTorch.find(Map.of("PYTORCH_LIBRARY_PATH", libtorch.toString()), bundled, cache, "2.7.1");
        assertEquals(NativeTorch.Source.LIBRARY_PATH, cpuPath.source(), "PYTORCH_LIBRARY_PATH comes first");
        assertFalse(cpuPath.cuda());
        Files.writeString(libtorch.resolve(System.mapLibraryName("torch_cuda")), "");
        assertTrue(NativeTorch.find(Map.of("PYTORCH_LIBRARY_PATH", "/nowhere:" + libtorch), bundled, cache, "2.7.1").cuda());
    }
}
