package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.difflab.cli.report.AggregationTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table 3: a row per sampling cost (the logged counts split rows), training cost per trained network. */
class CostSectionTest {

    private static RunSummary gd(String scale, double gradEvals, double seconds, Map<String, Double> training) {
        Map<String, Double> metrics = new java.util.HashMap<>(Map.of("sample.nfe", 25.0, "sample.grad_evals", gradEvals,
                "sample.seconds", seconds));
        metrics.putAll(training);
        return run("gd" + scale, Map.of("model.name", "gd", "guidance.name", "classifier", "guidance.scale", scale,
                "sampler.name", "ddim", "sampler.steps", "25", "train.batch_size", "64", "seed", "0"), metrics, Map.of());
    }

    @Test
    void classifierGuidanceAtScaleZeroTakesNoGradientAndIsItsOwnRow() {
        Map<String, Double> trained = Map.of("train.loss", 0.1, "train.seconds", 600.0, "train.images", 96000.0,
                "classifier.train.loss", 1.2, "classifier.train.seconds", 120.0, "classifier.train.images", 32000.0);
        List<RunSummary> runs = List.of(gd("0", 0, 0.5, trained), gd("2", 25, 0.75, Map.of()), gd("4", 25, 1.25, Map.of()));
        Page page = new Page();
        List<List<String>> csv = CostSection.write(page, runs, runs);
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| gd | classifier | 0 | ddim | 25 | 25 | 0 | 0.5 | 1 |"), md);
        assertTrue(md.contains("| gd | classifier | 2, 4 | ddim | 25 | 25 | 25 | 1 ± 0.3536 | 2 |"), md);
        // 96000 images of batch 64 = 1500 steps; the classifier: 500 steps
        assertTrue(md.contains("| gd | estimator | 1500 | 600 | 96000 | 1 |"), md);
        assertTrue(md.contains("| gd | classifier | 500 | 120 | 32000 | 1 |"), md);
        assertEquals(List.of("training", "gd", "classifier", "", "", "seconds", "120.0", "0.0", "1"),
                csv.stream().filter(r -> r.get(0).equals("training") && r.get(2).equals("classifier")
                        && r.get(5).equals("seconds")).findFirst().orElseThrow());
    }
}
