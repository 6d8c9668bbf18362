package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageShape;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipFeatures;
import io.difflab.kit.clip.LoadedClip;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;

/**
 * {@code reference-similarity}: how close generated samples are to the reference images they were
 * guided by, in a CLIP's image space: the mean cos(E_I(x_0), E_I(x'_0)) over the samples (the
 * quantity image semantic guidance raises, read on the clean images).
 */
@Extension
public final class ReferenceSimilarityMetric implements Metric {

    private final ExtensionRegistry registry;

    @Inject
    public ReferenceSimilarityMetric(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "reference-similarity";
    }

    @Override
    public String description() {
        return "mean CLIP image-space cosine of each sample and its reference image (sample.reference_images)";
    }

    @Override
    public List<Option> options() {
        return List.of(ClipFeatures.CLIP);
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        List<Object> references = input.requested().get(ConditionFields.REFERENCE_IMAGE);
        if (references == null) {
            throw new UserError(input.config().path() + ": reference-similarity compares samples with their reference"
                    + " images, and these samples were asked for none (give sample.reference_images)");
        }
        NDArray samples = input.samples();
        long n = samples.getShape().get(0);
        if (references.size() != n) {
            throw new IllegalArgumentException(n + " samples for " + references.size() + " reference images");
        }
        try (LoadedClip clip = ClipFeatures.load(input, registry);
             NDManager sub = samples.getManager().newSubManager()) {
            ImageShape shape = new ImageShape((int) samples.getShape().get(1), (int) samples.getShape().get(2),
                    (int) samples.getShape().get(3));
            NDArray x0 = new ReferenceImageEncoder(shape).encode(references, sub).get(0);
            return Map.of("eval.reference_similarity", meanCosine(ClipFeatures.images(clip, samples),
                    ClipFeatures.images(clip, x0)));
        }
    }

    /** The mean cosine of pairs of normalised features. */
    static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += ClipFeatures.cosine(a[i], b[i]);
        }
        return sum / a.length;
    }
}
