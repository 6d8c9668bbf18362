package io.difflab.host.run;

import io.difflab.api.ExtensionRegistry;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.FakeExtensions;
import io.difflab.host.spec.SpecResolver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Specs that differ only in what sampling reads share a training key; any training setting changes it. */
class TrainingKeyTest {

    private final ExtensionRegistry registry = FakeExtensions.standard().registry();
    private final SpecResolver resolver = new SpecResolver(registry);

    private String key(String model, String more) {
        ExperimentSpec spec = resolver.resolve("model: " + model + "\ndataset: fashion-mnist\n" + more, "s.yaml", "s",
                List.of());
        return TrainingKey.of(spec, registry);
    }

    @Test
    void aFamilysSamplingOptionsAndTheSamplingSectionsKeepTheKey() {
        String base = key("{name: autoregressive, top_k: 0}", "");
        assertEquals(base, key("{name: autoregressive, top_k: 16}", "sample: {count: 8}\nname: other\n"),
                "top_k is a sampling option of the family");
        assertNotEquals(base, key("{name: autoregressive, layers: 3}", ""), "layers shape the trained network");
        assertNotEquals(base, key("{name: autoregressive}", "train: {steps: 10}\n"));
        String diffusion = key("ddpm", "");
        assertEquals(diffusion, key("ddpm", "sampler: {name: ddim, steps: 10}\nguidance: none\n"));
        assertNotEquals(diffusion, key("ddpm", "schedule: {name: cosine}\n"));
    }
}
