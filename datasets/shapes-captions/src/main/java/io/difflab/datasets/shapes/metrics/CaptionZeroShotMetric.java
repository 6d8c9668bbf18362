package io.difflab.datasets.shapes.metrics;

import ai.djl.ndarray.NDManager;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.CaptionVariants.Attribute;
import io.difflab.datasets.shapes.CaptionVariants.Question;
import io.difflab.datasets.shapes.CaptionVariants;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;
import io.difflab.kit.clip.ClipFeatures;
import io.difflab.kit.clip.LoadedClip;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code caption-zero-shot}: how faithfully a CLIP reads shapes-captions, zero-shot: for each test
 * image, questions whose candidates are its caption with one attribute changed ({@link CaptionVariants}:
 * a phrase's number among 1-4, its colour among 6, its shape among 4, the relation among 4), answered
 * by the candidate of highest cosine with the image. Reports the share answered right per attribute
 * ({@code eval.zero_shot.count_acc}, and per true number {@code .count_acc.1} .. {@code .4},
 * {@code .colour_acc}, {@code .shape_acc}, {@code .relation_acc}); chance is 1/4, 1/6, 1/4, 1/4.
 * Evaluates the CLIP, not samples.
 */
@Extension
public final class CaptionZeroShotMetric implements Metric {

    /** The prefix of its values. */
    public static final String PREFIX = "eval.zero_shot";

    static final Option LIMIT = Option.integer("limit", 2000, 1, Integer.MAX_VALUE,
            "test images asked about (the first ones of the split)");

    private final ExtensionRegistry registry;

    @Inject
    public CaptionZeroShotMetric(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "caption-zero-shot";
    }

    @Override
    public String description() {
        return "shapes-captions: a CLIP's zero-shot choice of the true caption among variants in count, colour, shape,"
                + " relation";
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
        if (!(input.test() instanceof ShapesCaptionsDataset test)) {
            throw new UserError(input.config().path() + ": caption-zero-shot asks about shapes-captions scenes, and the"
                    + " run's dataset is " + input.test().id());
        }
        int n = Math.min(test.size(), input.config().getInt(LIMIT.key()));
        List<List<Question>> questions = new ArrayList<>(n);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            List<Question> qs = CaptionVariants.of(test.request(i));
            questions.add(qs);
            qs.forEach(q -> q.candidates().forEach(c -> index.putIfAbsent(c, index.size())));
        }
        try (LoadedClip clip = ClipFeatures.load(input, registry);
             NDManager manager = NDManager.newBaseManager(input.run().device())) {
            float[][] images = ClipFeatures.images(clip, test, n, manager);
            float[][] texts = ClipFeatures.texts(clip, new ArrayList<>(index.keySet()), manager);
            Tally tally = new Tally();
            for (int i = 0; i < n; i++) {
                for (Question q : questions.get(i)) {
                    int best = 0;
                    double bestCos = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < q.candidates().size(); k++) {
                        double cos = ClipFeatures.cosine(images[i], texts[index.get(q.candidates().get(k))]);
                        if (cos > bestCos) {
                            bestCos = cos;
                            best = k;
                        }
                    }
                    tally.add(q, best == q.answer());
                }
            }
            return tally.metrics();
        }
    }

    /** Right answers per attribute, and per true number for counts. */
    static final class Tally {
        private final Map<String, int[]> counts = new LinkedHashMap<>();

        void add(Question q, boolean right) {
            String key = q.attribute().name().toLowerCase(Locale.ROOT) + "_acc";
            bump(key, right);
            if (q.attribute() == Attribute.COUNT) {
                bump(key + "." + q.count(), right);
            }
        }

        private void bump(String key, boolean right) {
            int[] c = counts.computeIfAbsent(key, k -> new int[2]);
            c[0] += right ? 1 : 0;
            c[1]++;
        }

        Map<String, Double> metrics() {
            Map<String, Double> out = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.put(PREFIX + "." + e.getKey(), (double) e.getValue()[0] / e.getValue()[1]));
            return out;
        }
    }
}
