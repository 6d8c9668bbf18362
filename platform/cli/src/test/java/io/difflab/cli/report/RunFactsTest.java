package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.difflab.cli.report.AggregationTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page names the commit and the evaluator the runs used, from their tags, and says when one was not recorded. */
class RunFactsTest {

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    @Test
    void theEvaluatorAndTheCommitAreNamedFromTheRunsTags() {
        Map<String, String> tags = Map.of(RunFacts.EVALUATOR_SHA256, "ab12", RunFacts.EVALUATOR_ACCURACY, "0.9120",
                io.difflab.tracking.SystemTags.GIT_COMMIT, "5bf9e5f5817e3f1b69ba1237a83ed9ed9e9f7f08");
        List<RunSummary> runs = List.of(run("a", Map.of("seed", "0"), Map.of("eval.fd", 30.0), tags),
                run("b", Map.of("seed", "1"), Map.of("eval.fd", 31.0), tags));
        List<String> lines = RunFacts.lines(runs, List.of());
        assertEquals("Evaluator: sha256 `ab12`, test accuracy 0.9120", line(lines, "Evaluator:"));
        assertTrue(line(lines, "Commit:").contains("`5bf9e5f5817e3f1b69ba1237a83ed9ed9e9f7f08`"), lines.toString());
    }

    @Test
    void runsEvaluatedWithoutTheTagSayNotRecordedAndRunsWithoutEvaluatorMetricsHaveNoLine() {
        List<RunSummary> untagged = List.of(run("a", Map.of("seed", "0"), Map.of("eval.precision", 0.7), Map.of()));
        assertEquals("Evaluator: not recorded", line(RunFacts.lines(untagged, List.of()), "Evaluator:"));
        List<RunSummary> costOnly = List.of(run("a", Map.of("seed", "0"), Map.of("sample.nfe", 25.0), Map.of()));
        assertEquals(null, line(RunFacts.lines(costOnly, List.of()), "Evaluator:"));
    }
}
