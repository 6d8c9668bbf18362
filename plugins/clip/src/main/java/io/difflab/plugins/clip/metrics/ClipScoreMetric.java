package io.difflab.plugins.clip.metrics;

import io.difflab.api.ExtensionRegistry;
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
 * {@code clip-score}: how well generated samples match the captions they were asked for, by a CLIP
 * the spec names: 100·max(cos(image, caption), 0) averaged over the samples (Hessel et al. 2021,
 * eq. 1, without its rescaling weight w, as GLIDE and later work report it).
 */
@Extension
public final class ClipScoreMetric implements Metric {

    private final ExtensionRegistry registry;

    @Inject
    public ClipScoreMetric(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "clip-score";
    }

    @Override
    public String description() {
        return "CLIP score (Hessel et al. 2021): mean 100·max(cos, 0) of each sample and its requested caption";
    }

    @Override
    public List<Option> options() {
        return List.of(ClipFeatures.CLIP);
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        List<String> captions = input.requestedCaptions();
        if (captions == null) {
            throw new UserError(input.config().path() + ": clip-score compares samples with their captions, and these"
                    + " samples were asked for none (a text-to-image model asks for captions)");
        }
        try (LoadedClip clip = ClipFeatures.load(input, registry)) {
            float[][] images = ClipFeatures.images(clip, input.samples());
            float[][] texts = ClipFeatures.texts(clip, captions, input.samples().getManager());
            return Map.of("eval.clip_score", score(images, texts));
        }
    }

    /** Mean 100·max(cos, 0) of pairs of normalised features. */
    static double score(float[][] images, float[][] texts) {
        if (images.length != texts.length) {
            throw new IllegalArgumentException(images.length + " samples for " + texts.length + " captions");
        }
        double sum = 0;
        for (int i = 0; i < images.length; i++) {
            sum += 100 * Math.max(ClipFeatures.cosine(images[i], texts[i]), 0);
        }
        return sum / images.length;
    }
}
