package io.difflab.datasets.shapes.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.ConditionFields;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Progress;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.evaluator.ReferenceAgreement;
import io.difflab.datasets.shapes.evaluator.SceneEvaluator;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code reference-scene}: how far image-guided samples keep the scene of the reference image each
 * was guided by ({@code sample.reference_images}), as the scene evaluator reads both
 * ({@link ReferenceAgreement}): the share with the reference's object count
 * ({@code eval.reference_scene.count_match}, and the mean count error {@code .count_error}), the F1
 * of object positions paired within one evaluator cell ({@code .position_f1}), of the multisets of
 * colours and of shapes ({@code .colour_f1}, {@code .shape_f1}), of objects agreeing in position,
 * colour and shape ({@code .object_f1}), and the share of whole scenes that agree
 * ({@code .scene_match}); {@code .n} samples had a reference. For runs on shapes-captions, with the
 * evaluator of the run's training split (trained on first use, cached), as {@code scene-faithfulness}.
 */
@Extension
public final class ReferenceSceneMetric implements Metric {

    /** The prefix of its values. */
    public static final String PREFIX = "eval.reference_scene";

    private final Progress.Factory progress;

    @Inject
    public ReferenceSceneMetric(Progress.Factory progress) {
        this.progress = progress;
    }

    @Override
    public String name() {
        return "reference-scene";
    }

    @Override
    public String description() {
        return "shapes-captions: agreement of samples' object counts, positions, colours and shapes with their"
                + " reference images' (sample.reference_images), as the scene evaluator reads them";
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        List<Object> references = input.requested().get(ConditionFields.REFERENCE_IMAGE);
        if (references == null || references.stream().allMatch(r -> r == null)) {
            throw new UserError(input.config().path() + ": reference-scene compares samples with their reference"
                    + " images, and these samples were asked for none (give sample.reference_images)");
        }
        NDArray samples = input.samples();
        long n = samples.getShape().get(0);
        if (references.size() != n) {
            throw new IllegalArgumentException(n + " samples for " + references.size() + " reference images");
        }
        List<Integer> guided = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (references.get(i) != null) {
                guided.add(i);
            }
        }
        try (SceneEvaluator evaluator = SceneEvaluators.obtain(input, progress, name());
             NDManager sub = samples.getManager().newSubManager()) {
            List<Scene> generated = evaluator.read(guided.size() == n ? samples : rows(samples, guided, sub));
            List<Scene> wanted = evaluator.read(stack(references, guided, samples.getShape(), sub));
            return ReferenceAgreement.measure(generated, wanted).asMetrics(PREFIX);
        }
    }

    /** The evaluator's identity: its parameters' SHA-256 and its test accuracy (whole scenes). */
    @Override
    public Map<String, String> tags(MetricInput input) {
        try (SceneEvaluator evaluator = SceneEvaluators.obtain(input, progress, name())) {
            return SceneEvaluators.tags(evaluator);
        }
    }

    /** The samples of rows {@code guided}. */
    private static NDArray rows(NDArray samples, List<Integer> guided, NDManager manager) {
        NDList picked = new NDList();
        for (int i : guided) {
            NDArray row = samples.get(i);
            row.attach(manager);
            picked.add(row);
        }
        return NDArrays.stack(picked);
    }

    /** The reference images of rows {@code guided} (float[] of C·H·W in [−1, 1]) as one (n, C, H, W) array. */
    static NDArray stack(List<Object> references, List<Integer> guided, Shape samples, NDManager manager) {
        int size = Math.toIntExact(samples.size() / samples.get(0));
        float[] pixels = new float[guided.size() * size];
        for (int k = 0; k < guided.size(); k++) {
            if (!(references.get(guided.get(k)) instanceof float[] image) || image.length != size) {
                throw new IllegalArgumentException("reference image " + guided.get(k) + " is not " + size
                        + " floats, the samples' size");
            }
            System.arraycopy(image, 0, pixels, k * size, size);
        }
        return manager.create(pixels, new Shape(guided.size(), samples.get(1), samples.get(2), samples.get(3)));
    }
}
