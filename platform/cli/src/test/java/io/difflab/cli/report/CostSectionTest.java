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
                "sampler.name", "ddim", "sampler.steps", "25", "train.batch_size", "64", "seed", "0", "dataset.name",
                "fashion-mnist"), metrics, Map.of());
    }

    @Test
    void classifierGuidanceAtScaleZeroTakesNoGradientAndIsItsOwnRow() {
        Map<String, Double> trained = Map.of("train.loss", 0.1, "train.seconds", 600.0, "train.images", 96000.0,
                "classifier.train.loss", 1.2, "classifier.train.seconds", 120.0, "classifier.train.images", 32000.0);
        List<RunSummary> runs = List.of(gd("0", 0, 0.5, trained), gd("2", 25, 0.75, Map.of()), gd("4", 25, 1.25, Map.of()));
        Page page = new Page();
        List<List<String>> csv = CostSection.write(page, runs, runs);
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| gd | fashion-mnist | classifier | 0 | ddim | 25 | 25 | 0 | 0.5 | 1 |"), md);
        assertTrue(md.contains("| gd | fashion-mnist | classifier | 2, 4 | ddim | 25 | 25 | 25 | 1 ± 0.3536 | 2 |"), md);
        // 96000 images of batch 64 = 1500 steps; the classifier: 500 steps
        assertTrue(md.contains("| gd | fashion-mnist | estimator | 1500 | 600 | 96000 | 1 |"), md);
        assertTrue(md.contains("| gd | fashion-mnist | classifier | 500 | 120 | 32000 | 1 |"), md);
        assertEquals(List.of("training", "gd", "fashion-mnist", "classifier", "", "", "seconds", "120.0", "0.0", "1"),
                csv.stream().filter(r -> r.get(0).equals("training") && r.get(3).equals("classifier")
                        && r.get(6).equals("seconds")).findFirst().orElseThrow());
    }

    /** A cfdg cell: seed {@code seed}, training key {@code "key" + seed}; it trained when {@code seconds} is given. */
    private static RunSummary cfdg(String scale, int seed, Double seconds) {
        Map<String, Double> metrics = new java.util.HashMap<>(Map.of("sample.nfe", 50.0, "sample.grad_evals", 0.0,
                "sample.seconds", 0.05));
        Map<String, String> tags = new java.util.HashMap<>(Map.of(TrainedModels.TRAINING_KEY_TAG, "key" + seed));
        if (seconds != null) {
            metrics.putAll(Map.of("train.loss", 0.05, "train.seconds", seconds, "train.images", 64000.0));
        } else {
            tags.put(TrainedModels.TRAINED_IN_RUN_TAG, "trainer" + seed);
        }
        return run("cfdg" + scale + "s" + seed, Map.of("model.name", "cfdg", "guidance.name", "classifier-free",
                "guidance.scale", scale, "sampler.name", "ddim", "sampler.steps", "25", "train.batch_size", "32",
                "train.steps", "2000", "seed", Integer.toString(seed)), metrics, tags);
    }

    @Test
    void aTrainingWhoseRunIsNotInTheStoreIsStillCountedWithWhatItsParamsGive() {
        // seed 0's model was trained in a run this report cannot read; seed 1's by one of its cells
        List<RunSummary> runs = List.of(cfdg("0", 0, null), cfdg("1", 0, null), cfdg("0", 1, 270.0), cfdg("1", 1, null));
        Page page = new Page();
        CostSection.write(page, runs, runs);
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| cfdg | - | estimator | 2000 ± 0 | 270 | 64000 ± 0 | 2 |"), "two trainings: " + md);
        assertTrue(md.contains("the training run of `cfdg, seed=0` (trained in run `trainer0`)"), md);
    }

    @Test
    void aFamilyOnTwoDatasetsHasARowForEach() {
        // a DDPM on Fashion-MNIST (the quickstart) and one on shapes-captions (sdg's base model) cost differently
        List<RunSummary> runs = List.of(ddpm("fashion-mnist", 0.38, 300.0), ddpm("shapes-captions", 0.41, 1400.0));
        Page page = new Page();
        CostSection.write(page, runs, runs);
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| ddpm | fashion-mnist | none | - | ancestral | 50 | 50 | 0 | 0.38 | 1 |"), md);
        assertTrue(md.contains("| ddpm | shapes-captions | none | - | ancestral | 50 | 50 | 0 | 0.41 | 1 |"), md);
        assertTrue(md.contains("| ddpm | fashion-mnist | estimator | 1000 | 300 | 32000 | 1 |"), md);
        assertTrue(md.contains("| ddpm | shapes-captions | estimator | 1000 | 1400 | 32000 | 1 |"), md);
    }

    private static RunSummary ddpm(String dataset, double seconds, double trainSeconds) {
        return run("ddpm-" + dataset, Map.of("model.name", "ddpm", "dataset.name", dataset, "guidance.name", "none",
                "sampler.name", "ancestral", "sampler.steps", "50", "train.batch_size", "32", "seed", "0"),
                Map.of("sample.nfe", 50.0, "sample.grad_evals", 0.0, "sample.seconds", seconds, "train.loss", 0.03,
                        "train.seconds", trainSeconds, "train.images", 32000.0), Map.of());
    }

    @Test
    void aDalle2PriorsPassesAreAColumnOnlyWhenARunLoggedThem() {
        RunSummary unclip = run("unclip", Map.of("model.name", "dalle2", "dataset.name", "shapes-captions",
                "guidance.name", "classifier-free", "guidance.scale", "3", "sampler.name", "ancestral",
                "sampler.steps", "50", "seed", "0"), Map.of("sample.nfe", 100.0, "sample.prior_nfe", 128.0,
                "sample.grad_evals", 0.0, "sample.seconds", 2.5), Map.of());
        Page page = new Page();
        List<List<String>> csv = CostSection.write(page, List.of(unclip, ddpm("fashion-mnist", 0.38, 300.0)), List.of());
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| estimator calls / sample | prior passes / sample | gradient evaluations / sample |"), md);
        assertTrue(md.contains("| dalle2 | shapes-captions | classifier-free | 3 | ancestral | 50 | 100 | 128 | 0 | 2.5 | 1 |"),
                md);
        assertTrue(md.contains("| ddpm | fashion-mnist | none | - | ancestral | 50 | 50 | - | 0 | 0.38 | 1 |"), md);
        assertTrue(csv.stream().anyMatch(r -> r.get(1).equals("dalle2") && r.get(6).equals("sample.prior_nfe")
                && r.get(7).equals("128.0")), csv.toString());
        Page plain = new Page();
        CostSection.write(plain, List.of(ddpm("fashion-mnist", 0.38, 300.0)), List.of());
        assertTrue(!MarkdownRenderer.render(plain).contains("prior passes"), "no column without a prior");
    }
}
