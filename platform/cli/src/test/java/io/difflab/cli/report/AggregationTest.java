package io.difflab.cli.report;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grouping by every param but the seed, and mean ± sample std over the seeds against hand-computed values. */
class AggregationTest {

    static RunSummary run(String name, Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags) {
        return new RunSummary(name + "-id", "ablation", name, RunStatus.FINISHED, 1000L, 2000L, params, tags, metrics);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        Stats s = Stats.of(List.of(1.0, 2.0, 3.0, 4.0));
        assertEquals(2.5, s.mean(), 1e-15);
        // Σ(x−2.5)² = 5, over n−1 = 3
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(), 1e-15);
        assertEquals(4, s.n());
        assertEquals(new Stats(7.25, 0.0, 1), Stats.of(List.of(7.25)));
        assertEquals(0, Stats.of(List.of()).n());
        assertEquals("2.5 ± 1.291", s.format());
        assertEquals("7.25", Stats.of(List.of(7.25)).format());
        assertEquals("1000", Stats.number(1000.0));
        assertEquals("0.1235", Stats.number(0.123456));
        assertEquals("12.35", Stats.number(12.3456));
    }

    @Test
    void runsDifferingOnlyInSeedAreOneConfigurationOrderedBySweptValues() {
        List<RunSummary> runs = List.of(
                run("s10-seed0", Map.of("seed", "0", "guidance.scale", "10", "model.name", "cfdg"), Map.of("eval.fd", 30.0), Map.of()),
                run("s2-seed0", Map.of("seed", "0", "guidance.scale", "2", "model.name", "cfdg"), Map.of("eval.fd", 10.0), Map.of()),
                run("s2-seed1", Map.of("seed", "1", "guidance.scale", "2", "model.name", "cfdg"), Map.of("eval.fd", 14.0), Map.of()),
                run("s2-seed2", Map.of("seed", "2", "guidance.scale", "2", "model.name", "cfdg"), Map.of("eval.fd", 18.0), Map.of()));
        assertEquals(List.of("guidance.scale"), Aggregation.sweptKeys(runs), "the seed is never a swept column");
        List<Configuration> configurations = Aggregation.group(runs);
        assertEquals(2, configurations.size());
        Configuration two = configurations.get(0);
        assertEquals("2", two.param("guidance.scale"), "2 before 10: numbers by value");
        assertEquals(3, two.runs().size());
        assertEquals("0, 1, 2", two.seeds());
        Stats fd = two.stats("eval.fd");
        assertEquals(14.0, fd.mean(), 1e-12);
        assertEquals(4.0, fd.std(), 1e-12, "√((16+0+16)/2)");
        assertEquals(new Stats(30.0, 0.0, 1), configurations.get(1).stats("eval.fd"));
        assertEquals(0, two.stats("eval.is").n(), "not logged: no value");
    }

    @Test
    void theSpecsNameIsNoSettingSweepCellsOfTwoSeedsAreOneConfiguration() {
        List<RunSummary> runs = List.of(
                run("a", Map.of("seed", "0", "name", "scale1_seed0", "guidance.scale", "1"), Map.of("eval.fd", 78.0), Map.of()),
                run("b", Map.of("seed", "1", "name", "scale1_seed1", "guidance.scale", "1"), Map.of("eval.fd", 80.0), Map.of()));
        assertEquals(List.of(), Aggregation.sweptKeys(runs), "neither the seed nor the name is a swept column");
        List<Configuration> configurations = Aggregation.group(runs);
        assertEquals(1, configurations.size());
        assertEquals("0, 1", configurations.get(0).seeds());
        assertEquals(79.0, configurations.get(0).stats("eval.fd").mean(), 1e-12);
    }

    @Test
    void aSweepsTagsNameItsAxesInTheParentsOrderVariantsIncluded() {
        Map<String, String> none = Map.of("sweep.method", "none", "sweep.sampler.steps", "25", "sweep.seed", "0",
                "difflab.sweep", "ablation", "difflab.sweep.cell", "c1");
        Map<String, String> guided = Map.of("sweep.method", "classifier", "sweep.sampler.steps", "25", "sweep.seed", "1",
                "difflab.sweep", "ablation", "difflab.sweep.cell", "c2");
        List<RunSummary> runs = List.of(
                run("a", Map.of("seed", "0", "sampler.steps", "25", "guidance.name", "none", "name", "gd"), Map.of(), none),
                run("b", Map.of("seed", "1", "sampler.steps", "25", "guidance.name", "classifier", "name", "gd"), Map.of(), guided));
        assertEquals(List.of("sampler.steps", "method"), Aggregation.sweptKeys(runs, List.of("sampler.steps", "method", "seed")),
                "the tagged axes only (guidance.name differs because of the method), in the sweep's order, never the seed");
        assertEquals(List.of("method", "sampler.steps"), Aggregation.sweptKeys(runs), "by name without an order");
        List<Configuration> c = Aggregation.group(runs, List.of("method"));
        assertEquals("classifier", c.get(0).param("method"), "a variant's value comes from its tag");
        assertEquals("25", c.get(0).param("sampler.steps"));
        assertEquals("method=classifier", c.get(0).label(List.of("method", "guidance.scale")), "absent keys left out");
    }

    @Test
    void metricColumnsFollowWhatTheRunsLogged() {
        List<RunSummary> runs = List.of(run("a", Map.of(), Map.of("eval.recall", 0.5, "eval.fd", 3.0, "eval.fd.n", 8.0,
                "eval.nfe", 20.0, "sample.nfe", 20.0, "eval.custom", 1.0, "train.loss", 0.1), Map.of()));
        List<String> keys = MetricColumns.of(runs).stream().map(MetricColumns.Column::key).toList();
        assertEquals(List.of("eval.fd", "eval.recall", "eval.custom", "sample.nfe"), keys);
        assertTrue(MetricColumns.heading("eval.fd").startsWith("FD"));
    }
}
