package io.difflab.host.spec;

import io.difflab.api.ModelFamily;
import io.difflab.kit.train.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults, layering and the resolved form of valid specs. */
class SpecResolverTest {

    static final String MINIMAL = "model: {name: ddpm}\ndataset: {name: fashion-mnist}\n";

    private final SpecResolver resolver = new SpecResolver(FakeExtensions.standard().registry());

    private ExperimentSpec resolve(String yaml, String... sets) {
        return resolver.resolve(yaml, "test.yaml", "test", List.of(sets));
    }

    @Test
    void fillsHostAndExtensionDefaults() {
        ExperimentSpec spec = resolve(MINIMAL);
        assertEquals("test", spec.name());
        assertEquals(0L, spec.seed());
        assertEquals("auto", spec.device());
        assertEquals("linear", spec.schedule().getString("name"));
        assertEquals(1000, spec.timesteps());
        assertEquals(1e-4, spec.schedule().getDouble("beta_start"));
        assertEquals(List.of(1, 2, 2), spec.estimator().getIntList("channel_mult"));
        assertEquals("ancestral", spec.sampler().getString("name"));
        assertEquals(1000, spec.sampler().getInt("steps"), "sampler.steps defaults to T");
        assertEquals("auto", spec.sampler().getString("variance"));
        assertEquals("none", spec.guidance().getString("name"));
        assertEquals(new TrainSettings(2000, 64, 2.0e-4, 100, 1.0, 0.999, 50, 500), spec.train());
        assertEquals(new SampleSettings(64, 64, List.of(), List.of(), ""), spec.sample());
        assertEquals(new TrackingSettings("", "diffusion-lab"), spec.tracking());
        assertEquals(List.of(), spec.metrics());
        assertEquals("estimator", spec.estimator().path());
    }

    @Test
    void modelFamilyDefaultsApplyUnderTheUsersValues() {
        ExperimentSpec spec = resolve("model: {name: gd}\ndataset: {name: fashion-mnist}\ntrain: {steps: 10}\n");
        assertEquals("cosine", spec.schedule().getString("name"));
        assertEquals(0.008, spec.schedule().getDouble("s"));
        assertEquals(1.0e-4, spec.train().lr());
        assertEquals(10, spec.train().steps());
        assertEquals("fd", spec.metrics().get(0).getString("name"));
        assertEquals("metrics[0]", spec.metrics().get(0).path());

        ExperimentSpec mine = resolve("model: {name: gd}\ndataset: {name: fashion-mnist}\ntrain: {lr: 3.0e-4}\n");
        assertEquals(3.0e-4, mine.train().lr());
    }

    @Test
    void choosingAnotherExtensionDropsTheFamilysDefaultsMeantForItsOwn() {
        // gd's schedule.s belongs to cosine; with linear it must not turn into an unknown key
        ExperimentSpec spec = resolve("model: {name: gd}\ndataset: {name: fashion-mnist}\n"
                + "schedule: {name: linear, timesteps: 50}\n");
        assertEquals("linear", spec.schedule().getString("name"));
        assertEquals(50, spec.timesteps());
        assertTrue(!spec.schedule().has("s"));
    }

    @Test
    void setOverridesKeysListsAndListEntries() {
        ExperimentSpec spec = resolve(MINIMAL + "metrics: [{name: fd}]\n",
                "train.steps=500", "estimator.channel_mult=[1, 2]", "metrics[0].samples=10",
                "metrics[1].name=bpd", "seed=7", "sampler=ddim", "sampler.eta=0.5", "train.lr=2e-4");
        assertEquals(500, spec.train().steps());
        assertEquals(List.of(1, 2), spec.estimator().getIntList("channel_mult"));
        assertEquals(10, spec.metrics().get(0).getInt("samples"));
        assertEquals("bpd", spec.metrics().get(1).getString("name"));
        assertEquals(7L, spec.seed());
        assertEquals(0.5, spec.sampler().getDouble("eta"));
        assertEquals(2e-4, spec.train().lr(), "YAML 1.1 reads 2e-4 as a string; it is accepted as the number");
    }

    @Test
    void setNullRestoresTheDefault() {
        ExperimentSpec spec = resolve(MINIMAL + "train: {steps: 5}\n", "train.steps=null");
        assertEquals(2000, spec.train().steps());
    }

    @Test
    void shorthandNamesAComponent() {
        ExperimentSpec spec = resolve("model: ddpm\ndataset: fashion-mnist\nmetrics: [fd, bpd]\n");
        assertEquals("ddpm", spec.model().getString("name"));
        assertEquals("bpd", spec.metrics().get(1).getString("name"));
        assertEquals(1000, spec.metrics().get(0).getInt("samples"));
    }

    @Test
    void resolvedYamlReadsBackToTheSameSpec() {
        ExperimentSpec spec = resolve("name: rt\nseed: 123456789012\nmodel: {name: gd, lambda_vlb: 0.002}\n"
                + "dataset: {name: image-folder, root: 'yes'}\nmetrics: [fd]\n", "estimator.channel_mult=[1,2,4]");
        String yaml = spec.toYaml();
        ExperimentSpec again = resolve(yaml);
        assertEquals(spec.flatten(), again.flatten());
        assertEquals(yaml, again.toYaml());
        assertTrue(yaml.contains("channel_mult: [1, 2, 4]"), yaml);
        assertEquals("yes", again.dataset().getString("root"), "a string that looks like a boolean stays quoted");
    }

    @Test
    void flattenGivesDottedKeysForMlflowParams() {
        ExperimentSpec spec = resolve(MINIMAL + "metrics: [fd]\n");
        var flat = spec.flatten();
        assertEquals("32", flat.get("estimator.base_channels"));
        assertEquals("[1, 2, 2]", flat.get("estimator.channel_mult"));
        assertEquals("fd", flat.get("metrics.0.name"));
        assertEquals("0", flat.get("seed"));
        assertEquals("2.0E-4", flat.get("train.lr"));
        assertTrue(flat.keySet().stream().allMatch(k -> k.matches("[\\w./ -]+")), "MLflow key syntax: " + flat.keySet());
    }

    @Test
    void nameDefaultsToTheFileName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("quick.yaml");
        java.nio.file.Files.writeString(file, MINIMAL);
        assertEquals("quick", resolver.resolve(file, List.of()).name());
    }

    @Test
    void aModelFamilyIsLookedUpThroughTheRegistry() {
        ModelFamily gd = FakeExtensions.standard().registry().get(ModelFamily.class, "gd");
        assertEquals("cosine", gd.defaults().get("schedule.name"));
        assertThrows(SpecException.class, () -> resolve("model: {name: gd}\n"));
    }

    /** A family that reads no diffusion sections (DALL-E) gets none in its resolved spec, and rejects them when set. */
    @Test
    void aModelThatIsNoDiffusionModelHasNoDiffusionSectionsAndRejectsThem() {
        ExperimentSpec spec = resolver.resolve("model: autoregressive\ndataset: fashion-mnist\n", "s.yaml", "s", List.of());
        assertNull(spec.schedule());
        assertNull(spec.sampler());
        assertNull(spec.guidance());
        assertNull(spec.estimator());
        assertFalse(spec.toYaml().contains("\nschedule:"), spec.toYaml()); // (train.schedule_sampler stays)
        SpecException e = assertThrows(SpecException.class, () -> resolver.resolve(
                "model: autoregressive\ndataset: fashion-mnist\nsampler: {name: ddim}\nguidance: none\n", "s.yaml", "s",
                List.of()));
        assertTrue(e.getMessage().contains("sampler: model 'autoregressive' reads no sampler section"), e.getMessage());
        assertTrue(e.getMessage().contains("guidance: model 'autoregressive' reads no guidance section"), e.getMessage());
    }
}
