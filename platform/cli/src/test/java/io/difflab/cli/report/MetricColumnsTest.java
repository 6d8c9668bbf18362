package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.difflab.cli.report.AggregationTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The results table's columns: evaluation metrics first, then what sampling recorded, hidden keys left out. */
class MetricColumnsTest {

    @Test
    void aDvaesReconstructionFactsAreColumnsBeforeTheCost() {
        RunSummary reconstructions = run("reconstructions", Map.of("model.name", "dalle"),
                Map.of("sample.reconstruction_mse", 0.0191, "sample.codes_used", 19.0, "sample.nfe", 0.0,
                        "sample.seconds", 0.003, "eval.nfe", 0.0), Map.of());
        RunSummary samples = run("samples", Map.of("model.name", "dalle"),
                Map.of("eval.fd", 589.9, "eval.fd.floor", 5.778, "eval.fd.n", 256.0, "eval.clip_score", 71.7,
                        "sample.nfe", 64.0, "sample.seconds", 0.009), Map.of());
        List<String> headings = MetricColumns.of(List.of(reconstructions, samples)).stream()
                .map(MetricColumns.Column::heading).toList();
        assertEquals(List.of("FD ↓", "FD floor", "reconstruction MSE ↓", "codes used", "NFE", "s/sample"), headings);
    }

    @Test
    void aDalle2PriorsPassesAreAColumnBesideTheDecodersNfe() {
        RunSummary unclip = run("unclip", Map.of("model.name", "dalle2"), Map.of("eval.fd", 349.7,
                "sample.prior_nfe", 128.0, "sample.nfe", 100.0, "sample.seconds", 2.0), Map.of());
        assertEquals(List.of("FD ↓", "prior NFE", "NFE", "s/sample"), MetricColumns.of(List.of(unclip)).stream()
                .map(MetricColumns.Column::heading).toList());
    }
}
