package io.difflab.cli.report;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every report names the evaluator behind its FD, precision and recall, with its test accuracy. */
class RunFactsTest {

    private static RunSummary run(String id, Map<String, String> tags) {
        return new RunSummary(id, "e", id, RunStatus.FINISHED, 0, 1L, Map.of(), tags, Map.of("eval.fd", 10.0));
    }

    private static Map<String, String> evaluator(String sha, String accuracy) {
        return Map.of(RunFacts.EVALUATOR_SHA256, sha, RunFacts.EVALUATOR_ACCURACY, accuracy);
    }

    @Test
    void theEvaluatorAndItsTestAccuracyAreOnThePage() {
        List<RunSummary> runs = List.of(run("a", evaluator("0123456789abcdef", "0.9112")),
                run("b", evaluator("0123456789abcdef", "0.9112")));
        assertTrue(RunFacts.lines(runs, List.of()).contains("Evaluator: `0123456789ab` (test accuracy 0.9112)"),
                RunFacts.lines(runs, List.of()).toString());
    }

    @Test
    void runsScoredByDifferentEvaluatorsAreFlagged() {
        List<RunSummary> runs = List.of(run("a", evaluator("0123456789abcdef", "0.9112")),
                run("b", evaluator("fedcba9876543210", "0.7031")), run("c", Map.of()));
        assertEquals("`0123456789ab` (test accuracy 0.9112), 1 runs; `fedcba987654` (test accuracy 0.7031), 1 runs"
                + " — different evaluators: their numbers do not compare", RunFacts.evaluators(runs));
        assertEquals("none (no evaluation metric used one)", RunFacts.evaluators(List.of(run("c", Map.of()))));
    }
}
