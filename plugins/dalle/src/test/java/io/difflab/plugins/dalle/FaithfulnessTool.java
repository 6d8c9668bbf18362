package io.difflab.plugins.dalle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.Progress;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.datasets.shapes.evaluator.CaptionFaithfulness;
import io.difflab.datasets.shapes.evaluator.FaithfulnessScores;
import io.difflab.datasets.shapes.evaluator.SceneEvaluator;
import io.difflab.datasets.shapes.evaluator.SceneEvaluatorCache;
import io.difflab.datasets.shapes.evaluator.SceneEvaluatorRecipe;
import io.difflab.host.run.RunArtifacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * On demand: the caption faithfulness of finished runs' samples on shapes-captions (32x32, seed 0),
 * each image scored by the dataset's scene evaluator against the caption it was asked for
 * ({@code captions.txt}), one Markdown row per run.
 * {@code ./mvnw -pl plugins/dalle -am test -Dtest=FaithfulnessTool -Ddalle.runs=runs/a,runs/b}
 */
class FaithfulnessTool {

    private static final Progress.Factory QUIET = (label, total, unit) -> new Progress() {
        public void step(long n, String status) {
        }

        public void close() {
        }
    };

    @Test
    void scoreTheRuns() {
        String runs = System.getProperty("dalle.runs");
        Assumptions.assumeTrue(runs != null, "a tool: give -Ddalle.runs=<run folder>,<run folder>");
        ShapesCaptionsProvider provider = new ShapesCaptionsProvider();
        Config dataset = Config.of("dataset", provider.options(), Map.of());
        ShapesCaptionsDataset train = (ShapesCaptionsDataset) provider.load(dataset, Split.TRAIN);
        ShapesCaptionsDataset test = (ShapesCaptionsDataset) provider.load(dataset, Split.TEST);
        SceneEvaluatorCache cache = new SceneEvaluatorCache(SceneEvaluatorCache.defaultRoot(),
                SceneEvaluatorRecipe.STANDARD, QUIET);
        System.out.println("| run | images | count 1 | count 2 | count 3 | count 4 | colour | shape | relation "
                + "| exact match |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             SceneEvaluator evaluator = cache.obtain(train, test, Device.cpu())) {
            for (String run : runs.split(",")) {
                RunArtifacts artifacts = new RunArtifacts(Path.of(run.strip()));
                NDArray samples = artifacts.readSamples(m).get(0);
                List<String> captions = artifacts.readCaptions();
                FaithfulnessScores s = CaptionFaithfulness.score(captions, samples, evaluator);
                double[] count = s.count();
                System.out.printf("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                        Path.of(run.strip()).getFileName(), s.images(), count[0], count[1], count[2], count[3],
                        s.colour(), s.shape(), s.relation(), s.exact());
            }
        }
    }
}
