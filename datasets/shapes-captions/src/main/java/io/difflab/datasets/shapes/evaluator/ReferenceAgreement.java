package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How far generated images agree with the reference images they were guided by, both as the scene
 * evaluator reads them: a function of (sample scenes, reference scenes), so it is tested on
 * constructed scenes and used on any images. For a sample scene S and its reference R (|·| the number
 * of objects), per image:
 * <ul>
 * <li>count match: |S| = |R|; count error: ||S| − |R||;</li>
 * <li>position F1: 2m / (|S| + |R|), m the largest number of disjoint pairs (s ∈ S, r ∈ R) whose centres
 * are at most {@link #TOLERANCE} apart (a maximum bipartite matching, so the pairing is the best
 * possible, not greedy);</li>
 * <li>colour F1 and shape F1: 2·|C(S) ∩ C(R)| / (|S| + |R|) with C the multiset of the objects'
 * colours (shapes), ∩ the multiset intersection (Σ_c min(n_S(c), n_R(c))): the sets of kinds agree
 * wherever the objects are;</li>
 * <li>object F1: as position F1, pairs also agreeing in colour and shape (size is not compared);</li>
 * <li>scene match: object F1 = 1, i.e. every object of each has a partner of the same colour and
 * shape within the tolerance in the other.</li>
 * </ul>
 * Every F1 is 1 when both scenes are empty. The values are means over images.
 *
 * @param images     how many images were compared
 * @param countMatch share of images with as many objects as their reference
 * @param countError mean ||S| − |R||
 * @param position   mean position F1
 * @param colour     mean colour F1
 * @param shape      mean shape F1
 * @param object     mean object F1
 * @param scene      share of images whose scene matches their reference's
 */
public record ReferenceAgreement(int images, double countMatch, double countError, double position, double colour,
                                 double shape, double object, double scene) {

    /**
     * Two centres at most this far apart (in image sides) are at the same position: one grid cell of
     * the evaluator, the tolerance of its own accuracy ({@link SceneAccuracy}), 4 pixels at 32×32.
     */
    public static final double TOLERANCE = 1.0 / SceneGrid.CELLS;

    /** The agreement of {@code samples}[i] with {@code references}[i], over all i. */
    public static ReferenceAgreement measure(List<Scene> samples, List<Scene> references) {
        if (samples.size() != references.size()) {
            throw new IllegalArgumentException(samples.size() + " sample scenes for " + references.size()
                    + " references");
        }
        int n = samples.size();
        double counts = 0;
        double errors = 0;
        double positions = 0;
        double colours = 0;
        double shapes = 0;
        double objects = 0;
        double scenes = 0;
        for (int i = 0; i < n; i++) {
            List<SceneObject> s = samples.get(i).objects();
            List<SceneObject> r = references.get(i).objects();
            counts += s.size() == r.size() ? 1 : 0;
            errors += Math.abs(s.size() - r.size());
            positions += f1(ObjectMatching.size(s, r, (a, b) -> a.distanceTo(b) <= TOLERANCE), s, r);
            colours += f1(sharedKinds(s, r, SceneObject::colour), s, r);
            shapes += f1(sharedKinds(s, r, SceneObject::shape), s, r);
            int same = ObjectMatching.size(s, r, (a, b) -> a.distanceTo(b) <= TOLERANCE
                    && a.colour() == b.colour() && a.shape() == b.shape());
            objects += f1(same, s, r);
            scenes += same == s.size() && same == r.size() ? 1 : 0;
        }
        return new ReferenceAgreement(n, counts / n, errors / n, positions / n, colours / n, shapes / n,
                objects / n, scenes / n);
    }

    /**
     * The agreement as metrics under {@code prefix} (e.g. {@code eval.reference_scene}):
     * {@code .count_match}, {@code .count_error}, {@code .position_f1}, {@code .colour_f1},
     * {@code .shape_f1}, {@code .object_f1}, {@code .scene_match} and {@code .n}.
     */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + ".count_match", countMatch);
        out.put(prefix + ".count_error", countError);
        out.put(prefix + ".position_f1", position);
        out.put(prefix + ".colour_f1", colour);
        out.put(prefix + ".shape_f1", shape);
        out.put(prefix + ".object_f1", object);
        out.put(prefix + ".scene_match", scene);
        out.put(prefix + ".n", (double) images);
        return out;
    }

    /** 2m / (|S| + |R|), 1 for two empty scenes. */
    static double f1(int matched, List<SceneObject> s, List<SceneObject> r) {
        int total = s.size() + r.size();
        return total == 0 ? 1.0 : 2.0 * matched / total;
    }

    /** Σ_k min(n_S(k), n_R(k)) over the values k of {@code kind}: the multiset intersection's size. */
    static <K> int sharedKinds(List<SceneObject> s, List<SceneObject> r, Function<SceneObject, K> kind) {
        Map<K, Integer> left = new LinkedHashMap<>();
        for (SceneObject o : s) {
            left.merge(kind.apply(o), 1, Integer::sum);
        }
        int shared = 0;
        for (SceneObject o : r) {
            Integer k = left.get(kind.apply(o));
            if (k != null && k > 0) {
                left.put(kind.apply(o), k - 1);
                shared++;
            }
        }
        return shared;
    }
}
