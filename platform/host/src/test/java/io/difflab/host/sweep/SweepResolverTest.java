package io.difflab.host.sweep;

import io.difflab.api.GuidanceHead;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.host.run.TrainingKey;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.FakeExtensions;
import io.difflab.host.spec.SpecException;
import io.difflab.host.spec.SpecResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweep files: expansion, rules, training keys, and every problem at once with its key path. */
class SweepResolverTest {

    private static final String GD = """
            model: {name: gd}
            dataset: {name: fashion-mnist}
            guidance: {name: classifier, scale: 1.0}
            train: {steps: 100}
            """;
    private static final String CFDG = """
            model: {name: cfdg, p_uncond: 0.2}
            dataset: {name: fashion-mnist}
            guidance: {name: classifier-free, scale: 1.0}
            train: {steps: 100}
            """;

    @TempDir
    Path dir;

    private final SweepResolver resolver = new SweepResolver(new SpecResolver(FakeExtensions.standard()
            .add(ModelFamily.class, "cfdg", List.of(Option.real("p_uncond", 0.1, 0, 1, "p")), Map.of())
            .add(GuidanceHead.class, "classifier-free", List.of(Option.real("scale", 1.0, 0, 100, "s")), Map.of())
            .registry()));

    private SweepSpec resolve(String sweep) throws IOException {
        Files.createDirectories(dir.resolve("experiments/sweeps"));
        Files.writeString(dir.resolve("experiments/gd.yaml"), GD);
        Files.writeString(dir.resolve("experiments/cfdg.yaml"), CFDG);
        Path file = dir.resolve("experiments/sweeps/ablation.yaml");
        Files.writeString(file, sweep);
        return resolver.resolve(file);
    }

    private static List<String> ids(SweepSpec s) {
        return s.cells().stream().map(SweepCell::id).toList();
    }

    @Test
    void variantsTimesGridTimesZipTimesSeedsInFileOrderTheLastFastest() throws IOException {
        SweepSpec s = resolve("""
                base: ../gd.yaml
                set: {train.steps: 50, estimator: {base_channels: 16}}
                variants:
                  method:
                    classifier: {guidance.name: classifier}
                    classifier-free: {base: ../cfdg.yaml}
                axes: {guidance.scale: [0, 1.5, 3]}
                zip:
                  - {sampler.name: [ddim, ancestral], sampler.steps: [25, 100]}
                seeds: [0, 1]
                """);
        assertEquals("ablation", s.name(), "the file name");
        assertEquals(List.of("method", "guidance.scale", "sampler.name", "sampler.steps", "seed"), s.sweptKeys());
        assertEquals(2 * 3 * 2 * 2, s.cells().size());
        assertEquals("classifier_scale0_ddim_steps25_seed0", s.cells().get(0).id());
        assertEquals("classifier_scale0_ddim_steps25_seed1", s.cells().get(1).id());
        assertEquals("classifier_scale0_ancestral_steps100_seed0", s.cells().get(2).id());
        assertEquals("classifier-free_scale3_ancestral_steps100_seed1", s.cells().get(23).id());
        assertEquals(24, s.cells().get(23).index());

        SweepCell c = s.cells().get(5);
        assertEquals("classifier_scale1.5_ddim_steps25_seed1", c.id());
        assertEquals(Map.of("method", "classifier", "guidance.scale", "1.5", "sampler.name", "ddim",
                "sampler.steps", "25", "seed", "1"), c.swept());
        ExperimentSpec spec = c.spec();
        assertEquals(1.5, spec.guidance().getDouble("scale"));
        assertEquals("ddim", spec.sampler().getString("name"));
        assertEquals(25, spec.sampler().getInt("steps"));
        assertEquals(1L, spec.seed());
        assertEquals(50, spec.train().steps(), "set applies to every cell");
        assertEquals(16, spec.estimator().getInt("base_channels"), "nested maps in set merge, key by key");
        assertEquals(c.id(), spec.name());
        assertEquals("ablation", spec.tracking().experiment(), "every cell records to the sweep's experiment");

        ExperimentSpec cfg = s.cells().get(12).spec();
        assertEquals("cfdg", cfg.model().getString("name"), "a variant's own base");
        assertEquals(0.2, cfg.model().getDouble("p_uncond"));
        assertEquals("classifier-free", cfg.guidance().getString("name"));
        assertEquals(50, cfg.train().steps());
    }

    @Test
    void trainingKeysAreEqualExactlyWhenOnlySamplingSettingsDiffer() throws IOException {
        SweepSpec s = resolve("""
                base: ../gd.yaml
                axes:
                  guidance.scale: [0, 2]
                  sampler.steps: [10, 20]
                  sample.count: [8, 16]
                seeds: [0, 1]
                """);
        assertEquals(16, s.cells().size());
        assertEquals(2, s.trainings(), "one training per seed, shared by every sampling setting");
        for (SweepCell a : s.cells()) {
            for (SweepCell b : s.cells()) {
                assertEquals(a.spec().seed() == b.spec().seed(), a.trainingKey().equals(b.trainingKey()),
                        a.id() + " vs " + b.id());
            }
        }
        SweepSpec more = resolve("""
                base: ../gd.yaml
                axes: {train.steps: [100, 200], train.log_every: [10, 20], model.lambda_vlb: [0.001, 0.002]}
                """);
        assertEquals(8, more.trainings(), "every training setting changes the key");
        assertEquals(64, TrainingKey.of(more.cells().get(0).spec(), FakeExtensions.standard().registry()).length());
    }

    @Test
    void skipRulesAndPerCellOverridesMatchVariantsSweptValuesAndTheBase() throws IOException {
        SweepSpec s = resolve("""
                name: guidance-ablation
                base: ../gd.yaml
                variants:
                  method:
                    none: {guidance.name: none}
                    classifier: {guidance.name: classifier}
                axes: {guidance.scale: [0, 1, 3]}
                skip:
                  - {method: none, guidance.scale: "!0"}   # a scale means nothing without guidance
                  - {guidance.scale: [3], dataset.name: fashion-mnist, train.steps: 100}
                cells:
                  - when: {method: none}
                    set: {guidance.scale: null}           # none takes no scale
                  - when: {guidance.scale: 1}
                    set: {sample.count: 7}
                """);
        assertEquals(List.of("none_scale0", "none_scale1", "none_scale3", "classifier_scale0", "classifier_scale1",
                "classifier_scale3"), ids(s));
        assertEquals(List.of("none_scale0", "classifier_scale0", "classifier_scale1"),
                s.runnable().stream().map(SweepCell::id).toList());
        assertEquals("skip[0] (method=none, guidance.scale=!0)", s.cells().get(1).skippedBy());
        assertEquals("skip[1] (guidance.scale=[3], dataset.name=fashion-mnist, train.steps=100)",
                s.cells().get(5).skippedBy(), "base keys match too");
        assertNull(s.cells().get(1).spec(), "skipped cells are not resolved (none with a scale is no valid spec)");
        assertEquals("none", s.cells().get(0).spec().guidance().getString("name"));
        assertEquals(7, s.cells().get(4).spec().sample().count());
        assertEquals(64, s.cells().get(3).spec().sample().count());
        assertEquals(1, s.trainings());
    }

    @Test
    void everyProblemOfTheFileAndOfEveryCellIsReportedAtOnceWithItsKeyPath() throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> resolve("""
                base: ../gd.yaml
                axis: {guidance.scale: [1]}
                variants:
                  method:
                    a: {guidance.scal: 2}
                    b: {base: ../missing.yaml}
                axes: {guidance.scale: [1, 300]}
                zip:
                  - {sampler.name: [ddim, ancestral], sampler.steps: [25]}
                seeds: [0.5]
                skip:
                  - {methd: a}
                cells:
                  - {when: {method: a}, sett: {}}
                """));
        assertEquals(SpecException.EXIT_CODE, e.exitCode());
        List<String> problems = e.problems().stream().map(Object::toString).toList();
        String all = String.join("\n", problems);
        assertTrue(all.contains("axis: unknown key; did you mean 'axes'?"), all);
        assertTrue(all.contains("variants.method.b.base: no spec file"), all);
        assertTrue(all.contains("zip[0]: its lists advance together and must have the same length, got [2, 1]"), all);
        assertTrue(all.contains("seeds: expected integers, got 0.5"), all);
        assertTrue(all.contains("skip[0].methd: no cell has this key") && all.contains("did you mean 'method'?"), all);
        assertTrue(all.contains("cells[0].sett: unknown key; did you mean 'set'?"), all);
        assertTrue(all.contains("guidance.scal: unknown key") && all.contains("did you mean 'scale'?")
                && all.contains("[cells a_scale1, a_scale300]"), "a cell problem, once, naming its cells: " + all);
        assertTrue(all.contains("guidance.scale: must be at most 100") || all.contains("guidance.scale: ")
                && all.contains("300"), all);
        assertEquals(1, problems.stream().filter(p -> p.startsWith("guidance.scal:")).count(), all);
    }

    @Test
    void aProblemOfEveryCellSaysSo() throws IOException {
        SpecException e = assertThrows(SpecException.class, () -> resolve("""
                base: ../gd.yaml
                set: {train.stepz: 3}
                axes: {guidance.scale: [1, 2]}
                """));
        assertEquals(1, e.problems().size(), e.getMessage());
        String problem = e.problems().get(0).toString();
        assertTrue(problem.startsWith("train.stepz: unknown key; did you mean 'steps'?") && problem.endsWith("[every cell]"),
                problem);
    }

    @Test
    void trainingKeyIgnoresNameSamplerGuidanceSampleMetricsAndTracking() throws IOException {
        SweepSpec s = resolve("""
                base: ../gd.yaml
                variants:
                  look:
                    a: {}
                    b: {sampler.name: ddim, guidance.name: none, sample.count: 3, metrics: [], tracking.uri: "",
                        sampler.steps: 7}    # naming another guidance drops the base's classifier scale
                    c: {seed: 4}
                    d: {device: cpu}
                """);
        List<String> keys = s.cells().stream().map(SweepCell::trainingKey).toList();
        assertEquals(keys.get(0), keys.get(1));
        assertNotEquals(keys.get(0), keys.get(2));
        assertNotEquals(keys.get(0), keys.get(3));
    }
}
