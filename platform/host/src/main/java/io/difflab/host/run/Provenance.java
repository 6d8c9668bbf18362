package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run records so that it can be rebuilt (after Tribuo's provenance): platform, engine,
 * JVM and OS versions, device, seed, dataset checksum and the plugins in play, as MLflow tags.
 */
public final class Provenance {

    private Provenance() {
    }

    /**
     * @param seed            the run's seed
     * @param device          where it ran
     * @param datasetChecksum the training split's checksum
     * @param plugins         plugin id to version, for the plugins the run used
     */
    public static Map<String, String> tags(long seed, Device device, String datasetChecksum,
                                           Map<String, String> plugins) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("difflab.version", version());
        tags.put("difflab.seed", Long.toString(seed));
        tags.put("difflab.device", device.toString());
        tags.put("difflab.dataset.checksum", datasetChecksum);
        Engine engine = Engine.getInstance();
        tags.put("difflab.engine", engine.getEngineName() + " " + engine.getVersion());
        tags.put("difflab.djl", Engine.getDjlVersion());
        tags.put("difflab.jvm", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        tags.put("difflab.os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        tags.put("difflab.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (isa != null) {
            tags.put("difflab.onednn_max_cpu_isa", isa);
        }
        plugins.forEach((id, v) -> tags.put("difflab.plugin." + id, v));
        return tags;
    }

    /** The platform version from the jar manifest, or "dev" when run from classes. */
    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
