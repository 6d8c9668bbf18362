package io.difflab.plugins.clip.metrics;

import ai.djl.ndarray.NDManager;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipFeatures;
import io.difflab.kit.clip.LoadedClip;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clip-retrieval}: text↔image retrieval by a CLIP over the first n test items (Radford et al.
 * 2021, sec. 3.1.5 / Table 13): for each image, the caption of highest cosine among the n captions
 * (image→text R@1), and for each caption, the image of highest cosine among the n images
 * (text→image R@1). A retrieved item counts as right when its caption is the same text as the
 * query's, since generated datasets repeat captions. Chance is about 1/n.
 */
@Extension
public final class RetrievalMetric implements Metric {

    static final Option LIMIT = Option.integer("limit", 1000, 2, Integer.MAX_VALUE,
            "the gallery: the first n test images and their captions");

    private final ExtensionRegistry registry;

    @Inject
    public RetrievalMetric(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "clip-retrieval";
    }

    @Override
    public String description() {
        return "CLIP text-to-image and image-to-text retrieval R@1 among the first n test items";
    }

    @Override
    public List<Option> options() {
        return List.of(ClipFeatures.CLIP, LIMIT);
    }

    @Override
    public boolean scoresSamples() {
        return false;
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        ImageDataset test = input.test();
        int n = Math.min(test.size(), input.config().getInt(LIMIT.key()));
        List<String> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            captions.add(test.caption(i));
        }
        if (n < 2 || captions.contains(null)) {
            throw new UserError(input.config().path() + ": retrieval needs at least 2 captioned test items, and "
                    + test.id() + " has " + (captions.contains(null) ? "uncaptioned ones" : n));
        }
        try (LoadedClip clip = ClipFeatures.load(input, registry);
             NDManager manager = NDManager.newBaseManager(input.run().device())) {
            float[][] images = ClipFeatures.images(clip, test, n, manager);
            float[][] texts = ClipFeatures.texts(clip, captions, manager);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("eval.retrieval.image_to_text_r1", recallAtOne(images, texts, captions));
            out.put("eval.retrieval.text_to_image_r1", recallAtOne(texts, images, captions));
            out.put("eval.retrieval.n", (double) n);
            return out;
        }
    }

    /**
     * The share of queries whose most similar key has the query's caption.
     *
     * @param queries  normalised features, the i-th of item i
     * @param keys     normalised features, the j-th of item j
     * @param captions item i's caption
     */
    static double recallAtOne(float[][] queries, float[][] keys, List<String> captions) {
        int right = 0;
        for (int i = 0; i < queries.length; i++) {
            int best = 0;
            double bestCos = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keys.length; j++) {
                double cos = ClipFeatures.cosine(queries[i], keys[j]);
                if (cos > bestCos) {
                    bestCos = cos;
                    best = j;
                }
            }
            right += captions.get(best).equals(captions.get(i)) ? 1 : 0;
        }
        return (double) right / queries.length;
    }
}
