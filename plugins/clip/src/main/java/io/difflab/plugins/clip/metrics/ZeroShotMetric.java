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
 * {@code clip-zero-shot}: CLIP's zero-shot classifier (Radford et al. 2021, sec. 3.1.2 and 3.1.4) on
 * the test split: each class is the mean direction of its name put into every template, and an
 * image takes the class whose direction is closest to its own. Reports the top-1 accuracy and the
 * chance level 1/K. Needs a labelled dataset; evaluates the CLIP, not samples.
 */
@Extension
public final class ZeroShotMetric implements Metric {

    static final Option CLASS_NAMES = Option.stringList("class_names", List.of(), List.of(),
            "what each class is called in the templates, index = label (default: the dataset's class names)");
    static final Option TEMPLATES = Option.stringList("templates", List.of("a photo of {}"), List.of(),
            "prompt templates, {} standing for the class name; their text features are averaged per class");
    static final Option LIMIT = Option.integer("limit", 2000, 1, Integer.MAX_VALUE,
            "test images classified (the first ones of the split)");

    private final ExtensionRegistry registry;

    @Inject
    public ZeroShotMetric(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "clip-zero-shot";
    }

    @Override
    public String description() {
        return "CLIP zero-shot classification accuracy on the test split from class names in prompt templates";
    }

    @Override
    public List<Option> options() {
        return List.of(ClipFeatures.CLIP, CLASS_NAMES, TEMPLATES, LIMIT);
    }

    @Override
    public boolean scoresSamples() {
        return false;
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        ImageDataset test = input.test();
        List<String> names = input.config().getStringList(CLASS_NAMES.key());
        if (names.isEmpty()) {
            names = test.classNames();
        }
        if (names.size() < 2) {
            throw new UserError(input.config().path() + ": zero-shot classification needs a labelled dataset with at"
                    + " least 2 classes (or class_names), and " + test.id() + " has " + names.size());
        }
        if (test.numClasses() > 0 && names.size() != test.numClasses()) {
            throw new UserError(input.config().path() + ".class_names: " + names.size() + " names for the "
                    + test.numClasses() + " classes of " + test.id());
        }
        List<String> templates = input.config().getStringList(TEMPLATES.key());
        for (String template : templates) {
            if (!template.contains("{}")) {
                throw new UserError(input.config().path() + ".templates: '" + template + "' has no {} for the class");
            }
        }
        int n = Math.min(test.size(), input.config().getInt(LIMIT.key()));
        try (LoadedClip clip = ClipFeatures.load(input, registry);
             NDManager manager = NDManager.newBaseManager(input.run().device())) {
            List<float[]> classes = new ArrayList<>();
            for (String name : names) {
                List<String> prompts = templates.stream().map(t -> t.replace("{}", name)).toList();
                classes.add(ClipFeatures.meanDirection(List.of(ClipFeatures.texts(clip, prompts, manager))));
            }
            float[][] images = ClipFeatures.images(clip, test, n, manager);
            int right = 0;
            for (int i = 0; i < n; i++) {
                right += nearest(images[i], classes) == test.label(i) ? 1 : 0;
            }
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("eval.zero_shot_acc", (double) right / n);
            out.put("eval.zero_shot_chance", 1.0 / names.size());
            return out;
        }
    }

    /** The index of the direction closest to {@code image}. */
    static int nearest(float[] image, List<float[]> directions) {
        int best = 0;
        double bestCos = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < directions.size(); k++) {
            double cos = ClipFeatures.cosine(image, directions.get(k));
            if (cos > bestCos) {
                bestCos = cos;
                best = k;
            }
        }
        return best;
    }
}
