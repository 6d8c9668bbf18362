package io.difflab.datasets.shapes.evaluator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How faithfully images follow the captions they were requested with (see {@link CaptionFaithfulness}).
 * Every share is NaN when nothing was asked of that kind.
 *
 * @param images   how many images were scored
 * @param count    for n = 1..4 (index n − 1): share of the phrases asking for n objects of a kind that
 *                 got exactly n of that kind
 * @param colour   share of requested objects whose best-matching object has the requested colour
 * @param shape    share of requested objects whose best-matching object has the requested shape
 * @param relation share of relation captions whose two objects stand in the requested relation
 * @param exact    share of images that are exactly what their caption asks for, nothing more
 */
public record FaithfulnessScores(int images, double[] count, double colour, double shape, double relation,
                                 double exact) {

    public FaithfulnessScores {
        count = count.clone();
    }

    @Override
    public double[] count() {
        return count.clone();
    }

    /**
     * The scores as metrics under {@code prefix} (e.g. {@code eval.scene}): {@code .count_acc.1} ..
     * {@code .count_acc.4}, {@code .colour_acc}, {@code .shape_acc}, {@code .relation_acc},
     * {@code .exact_match} and {@code .n}; NaN shares are left out.
     */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int n = 1; n <= count.length; n++) {
            put(out, prefix + ".count_acc." + n, count[n - 1]);
        }
        put(out, prefix + ".colour_acc", colour);
        put(out, prefix + ".shape_acc", shape);
        put(out, prefix + ".relation_acc", relation);
        put(out, prefix + ".exact_match", exact);
        out.put(prefix + ".n", (double) images);
        return out;
    }

    private static void put(Map<String, Double> out, String key, double value) {
        if (!Double.isNaN(value)) {
            out.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "FaithfulnessScores" + asMetrics("");
    }
}
