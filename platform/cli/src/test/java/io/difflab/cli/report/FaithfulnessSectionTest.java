package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.difflab.cli.report.AggregationTest.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caption-faithfulness table: the real images' row, CLIP's zero-shot row, chance; not in the results table. */
class FaithfulnessSectionTest {

    private static final RunSummary REAL = run("real", Map.of("model.name", "test-images", "seed", "0"),
            Map.of("eval.scene.count_acc.1", 1.0, "eval.scene.count_acc.4", 1.0, "eval.scene.colour_acc", 1.0,
                    "eval.scene.exact_match", 0.999, "eval.clip_score", 31.25, "eval.scene.n", 2000.0),
            Map.of("sweep.model", "real-images"));
    private static final RunSummary CLIP = run("clip", Map.of("model.name", "clip", "seed", "0"),
            Map.of("eval.zero_shot.count_acc.1", 0.9, "eval.zero_shot.colour_acc", 0.99,
                    "eval.zero_shot.relation_acc", 0.5, "eval.zero_shot.count_acc", 0.8,
                    "eval.retrieval.image_to_text_r1", 0.4, "eval.retrieval.text_to_image_r1", 0.45,
                    "eval.retrieval.n", 1000.0, "train.loss", 0.3), Map.of("sweep.model", "clip"));

    @Test
    void realImagesAndClipZeroShotAreRowsWithChanceBelow() {
        List<RunSummary> runs = List.of(CLIP, REAL);
        List<String> swept = Aggregation.sweptKeys(runs);
        Page page = new Page();
        List<List<String>> csv = FaithfulnessSection.write(page, Aggregation.group(runs, swept), swept);
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| model | measured on | count 1 ↑ | count 2 ↑ | count 3 ↑ | count 4 ↑ | colour ↑ | shape ↑"
                + " | relation ↑ | exact ↑ | CLIP score ↑ | R@1 image→text ↑ | R@1 text→image ↑ | runs (seeds) |"), md);
        assertTrue(md.contains("| model=real-images | samples, scene evaluator | 1 |  |  | 1 | 1 |  |  | 0.999 | 31.25 |"
                + "  |  | 1 (0) |"), md);
        assertTrue(md.contains("| model=clip | CLIP zero-shot | 0.9 |  |  |  | 0.99 |  | 0.5 |  |  | 0.4 | 0.45 | 1 (0) |"),
                md);
        assertTrue(md.contains("| chance | CLIP zero-shot | 0.25 | 0.25 | 0.25 | 0.25 | 0.1667 | 0.25 | 0.25 |"), md);
        assertTrue(csv.stream().anyMatch(r -> r.get(1).equals("eval.clip_score") && r.get(2).equals("31.25")), csv.toString());
        // the results table leaves them to this section
        List<String> headings = MetricColumns.of(runs).stream().map(MetricColumns.Column::heading).toList();
        assertFalse(headings.stream().anyMatch(h -> h.contains("scene") || h.contains("zero_shot")
                || h.contains("retrieval") || h.contains("clip_score")), headings.toString());
    }

    @Test
    void noTableWithoutTheseMetrics() {
        RunSummary plain = run("ddpm", Map.of("model.name", "ddpm", "seed", "0"), Map.of("eval.fd", 30.0), Map.of());
        assertNull(FaithfulnessSection.write(new Page(), Aggregation.group(List.of(plain)), List.of()));
    }
}
