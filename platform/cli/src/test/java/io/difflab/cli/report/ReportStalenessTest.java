package io.difflab.cli.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment files a report depends on: its page's specs and, transitively, the files they name. */
class ReportStalenessTest {

    private static ReportStaleness staleness() {
        ReportStaleness staleness = ReportStaleness.of(CommittedReportsTest.reports().getParent());
        Assumptions.assumeTrue(staleness != null, "not a git checkout");
        return staleness;
    }

    @Test
    void aSweepDependsOnItsBasesOnly() throws IOException {
        Set<String> files = staleness().specFiles(Set.of("experiments/sweeps/dalle-sampling.yaml"));
        assertEquals(Set.of("experiments/sweeps/dalle-sampling.yaml", "experiments/dalle-shapes.yaml"), files);
    }

    @Test
    void basesNamedInVariantsCountToo() throws IOException {
        Set<String> files = staleness().specFiles(Set.of("experiments/sweeps/text-faithfulness.yaml"));
        assertTrue(files.containsAll(Set.of("experiments/clip-shapes.yaml", "experiments/test-images-shapes.yaml",
                "experiments/glide-shapes.yaml", "experiments/dalle-shapes.yaml")), files.toString());
        assertFalse(files.contains("experiments/quickstart.yaml"), files.toString());
    }

    @Test
    void aStandaloneSpecIsItself() throws IOException {
        assertEquals(Set.of("experiments/quickstart.yaml"),
                staleness().specFiles(Set.of("experiments/quickstart.yaml")));
    }
}
