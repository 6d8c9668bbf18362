package io.difflab.plugins.gd;

import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.datasets.fashionmnist.FashionMnistProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a tiny trained setup (Fashion-MNIST trousers and sneakers, classes 1 and 7), classifier
 * guidance at a larger scale makes more samples of the requested class, as judged by an
 * independent nearest-centroid classifier: a real measurement, however small.
 */
class GuidanceRaisesCondAccuracyIT {

    private static final List<Integer> CLASSES = List.of(1, 7);
    private static final int SAMPLES = 64;
    private static final int SAMPLING_STEPS = 25;
    private static final double LARGE_SCALE = 8.0;

    @TempDir
    Path checkpoints;

    @Test
    void aLargerGuidanceScaleRaisesCondAccuracy() {
        FashionMnistProvider provider = new FashionMnistProvider();
        Config dataset = new Config("dataset", Map.of("folder", "", "limit", 0, "classes", CLASSES));
        ImageDataset train = provider.load(dataset, Split.TRAIN);
        NearestCentroid judge = new NearestCentroid(train, CLASSES);
        double judgeAccuracy = judge.accuracy(provider.load(dataset, Split.TEST));
        assertTrue(judgeAccuracy > 0.95, "the judge must separate the two classes: " + judgeAccuracy);

        Map<String, Object> values = new java.util.LinkedHashMap<>(TinyGuidedSetup.tinyAdmUNet(8));
        values.put("model.classifier_steps", 200);
        values.put("model.classifier_channels", 8);
        values.put("model.classifier_head_channels", 8);
        int[] labels = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = CLASSES.get(i % CLASSES.size());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyGuidedSetup setup = TinyGuidedSetup.train(manager, train, values, 300, 16, 1e-3, 7, checkpoints);
            double unguided = setup.condAccuracy(manager, labels, 0.0, SAMPLING_STEPS, judge);
            double guided = setup.condAccuracy(manager, labels, LARGE_SCALE, SAMPLING_STEPS, judge);
            System.out.printf("cond-accuracy over %d samples: s=0 %.3f, s=%.0f %.3f (judge: %.3f on the test split)%n",
                    SAMPLES, unguided, LARGE_SCALE, guided, judgeAccuracy);
            assertTrue(guided > unguided + 0.1, "guidance raises cond-accuracy: s=0 " + unguided + ", s="
                    + LARGE_SCALE + " " + guided);
        }
    }
}
