package io.difflab.datasets.shapes.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.RunContext;
import io.difflab.api.Split;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.datasets.shapes.TestSplits;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reference-scene} through {@link ReferenceSceneMetric#compute} on real test images of the
 * default dataset, with the platform's cached scene evaluator (trained first, about two minutes, when
 * the cache has none, as any run would): 64 images guided by themselves agree in everything; guided
 * by the next image (one row without a reference), only as often as real scenes happen to agree.
 */
class ReferenceSceneMetricIT {

    private static final int N = 64;
    private static final Progress.Factory SILENT = (label, total, unit) -> new Progress() {
        @Override
        public void step(long n, String status) { }

        @Override
        public void close() { }
    };

    @Test
    void realImagesAgreeWithThemselvesAndNotWithTheNextImage() {
        Config defaults = TestSplits.config(Map.of());
        ShapesCaptionsDataset train = (ShapesCaptionsDataset) new ShapesCaptionsProvider().load(defaults, Split.TRAIN);
        ShapesCaptionsDataset test = (ShapesCaptionsDataset) new ShapesCaptionsProvider().load(defaults, Split.TEST);
        ReferenceSceneMetric metric = new ReferenceSceneMetric(SILENT);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            int[] indices = new int[N + 1];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i;
            }
            NDArray images = test.images(manager, indices);
            List<Object> pixels = new ArrayList<>();
            for (int i = 0; i <= N; i++) {
                pixels.add(images.get(i).toFloatArray());
            }
            NDArray samples = images.get("0:" + N);

            Map<String, Double> self = metric.compute(input(samples, pixels.subList(0, N), train, test));
            for (String key : List.of("count_match", "position_f1", "colour_f1", "shape_f1", "object_f1",
                    "scene_match")) {
                assertEquals(1.0, self.get(ReferenceSceneMetric.PREFIX + "." + key), key);
            }
            assertEquals(0.0, self.get(ReferenceSceneMetric.PREFIX + ".count_error"));

            List<Object> next = new ArrayList<>(pixels.subList(1, N + 1));
            next.set(5, null); // asked for without a reference: not scored
            Map<String, Double> other = metric.compute(input(samples, next, train, test));
            System.out.println("64 real test images against the next one's scene: " + other);
            int sameCount = 0;
            for (int i = 0; i < N; i++) {
                sameCount += i != 5 && test.scene(i).size() == test.scene(i + 1).size() ? 1 : 0;
            }
            assertEquals(N - 1, other.get(ReferenceSceneMetric.PREFIX + ".n"));
            assertEquals(sameCount / (double) (N - 1), other.get(ReferenceSceneMetric.PREFIX + ".count_match"), 1e-9,
                    "the evaluator reads real counts right");
            assertTrue(other.get(ReferenceSceneMetric.PREFIX + ".scene_match") < 0.05, other::toString);
            assertTrue(other.get(ReferenceSceneMetric.PREFIX + ".position_f1") < 0.5, other::toString);
        }
    }

    private static MetricInput input(NDArray samples, List<Object> references, ShapesCaptionsDataset train,
                                     ShapesCaptionsDataset test) {
        return new MetricInput(samples, Map.of(ConditionFields.REFERENCE_IMAGE, references), train, test, null, null,
                Map.of(), new Config("metrics[0]", Map.of("name", "reference-scene")),
                new RunContext("reference-scene-it", 0, Device.cpu(), Path.of("target")));
    }
}
