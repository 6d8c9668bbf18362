package io.difflab.datasets.shapes.evaluator;

import ai.djl.ndarray.NDArray;
import io.difflab.datasets.shapes.CaptionParser;
import io.difflab.datasets.shapes.ObjectGroup;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.SceneRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores images against the captions they were requested with, from the scenes an evaluator reads
 * in them: a function of (requested captions, scenes), so it is tested on constructed scenes and
 * used on any images.
 * <ul>
 * <li>count, per requested number n: a phrase "n colour shapes" is right when the scene has exactly
 * n objects of that colour and shape (and size, if named);</li>
 * <li>colour and shape: the caption's objects are each matched to a different object of the scene,
 * the matching that agrees in most attributes (colour, shape) overall; a requested object is right
 * in colour (in shape) when its match has that colour (shape), and wrong when it has no match;</li>
 * <li>relation: some object of the first phrase stands in the relation to some object of the second;</li>
 * <li>exact match: the scene is exactly what the caption asks for ({@link SceneRequest#isSatisfiedBy}).</li>
 * </ul>
 */
public final class CaptionFaithfulness {

    private CaptionFaithfulness() { }

    /** The scores of {@code scenes}, the i-th read in the image requested with {@code requests[i]}. */
    public static FaithfulnessScores score(List<SceneRequest> requests, List<Scene> scenes) {
        if (requests.size() != scenes.size()) {
            throw new IllegalArgumentException(requests.size() + " requests for " + scenes.size() + " scenes");
        }
        int[] countRight = new int[ObjectGroup.MAX_COUNT];
        int[] countAsked = new int[ObjectGroup.MAX_COUNT];
        int objects = 0;
        int colours = 0;
        int shapes = 0;
        int relations = 0;
        int relationsRight = 0;
        int exact = 0;
        for (int i = 0; i < requests.size(); i++) {
            SceneRequest request = requests.get(i);
            Scene scene = scenes.get(i);
            for (ObjectGroup g : request.groups()) {
                countAsked[g.count() - 1]++;
                countRight[g.count() - 1] += g.countIn(scene) == g.count() ? 1 : 0;
            }
            List<ObjectGroup> slots = slots(request);
            SceneObject[] match = bestMatch(slots, scene.objects());
            for (int k = 0; k < slots.size(); k++) {
                objects++;
                colours += match[k] != null && match[k].colour() == slots.get(k).colour() ? 1 : 0;
                shapes += match[k] != null && match[k].shape() == slots.get(k).shape() ? 1 : 0;
            }
            if (request.relation() != null) {
                relations++;
                relationsRight += request.relationHolds(scene) ? 1 : 0;
            }
            exact += request.isSatisfiedBy(scene) ? 1 : 0;
        }
        double[] count = new double[ObjectGroup.MAX_COUNT];
        for (int n = 0; n < count.length; n++) {
            count[n] = share(countRight[n], countAsked[n]);
        }
        return new FaithfulnessScores(requests.size(), count, share(colours, objects), share(shapes, objects),
                share(relationsRight, relations), share(exact, requests.size()));
    }

    /**
     * The scores of generated {@code images} (N, 3, H, W) in [−1, 1], the i-th requested with
     * {@code captions[i]}, as {@code evaluator} reads them.
     *
     * @throws io.difflab.api.UserError when a caption is not in the shapes-captions grammar
     */
    public static FaithfulnessScores score(List<String> captions, NDArray images, SceneEvaluator evaluator) {
        List<SceneRequest> requests = captions.stream().map(CaptionParser::parse).toList();
        return score(requests, evaluator.read(images));
    }

    /** One entry per requested object: its group, repeated count times. */
    private static List<ObjectGroup> slots(SceneRequest request) {
        List<ObjectGroup> slots = new ArrayList<>();
        for (ObjectGroup g : request.groups()) {
            for (int i = 0; i < g.count(); i++) {
                slots.add(g);
            }
        }
        return slots;
    }

    /**
     * The matching of requested objects to distinct scene objects with the most agreeing attributes
     * (colour and shape, one point each), by dynamic programming over the subsets of requested objects
     * (at most 2^4): unmatched entries are null. Ties keep the earlier scene objects.
     */
    static SceneObject[] bestMatch(List<ObjectGroup> slots, List<SceneObject> objects) {
        int k = slots.size();
        int states = 1 << k;
        int[][] best = new int[objects.size() + 1][states];
        for (int[] row : best) {
            Arrays.fill(row, -1);
        }
        best[0][0] = 0;
        for (int j = 0; j < objects.size(); j++) {
            for (int mask = 0; mask < states; mask++) {
                if (best[j][mask] < 0) {
                    continue;
                }
                best[j + 1][mask] = Math.max(best[j + 1][mask], best[j][mask]);
                for (int s = 0; s < k; s++) {
                    if ((mask & (1 << s)) == 0) {
                        int score = best[j][mask] + agreement(slots.get(s), objects.get(j));
                        best[j + 1][mask | (1 << s)] = Math.max(best[j + 1][mask | (1 << s)], score);
                    }
                }
            }
        }
        int end = 0;
        for (int mask = 1; mask < states; mask++) {
            if (best[objects.size()][mask] > best[objects.size()][end]) {
                end = mask;
            }
        }
        SceneObject[] match = new SceneObject[k];
        for (int j = objects.size(); j > 0; j--) { // walk back: which step reached (j, end)
            if (best[j - 1][end] == best[j][end]) {
                continue;
            }
            for (int s = 0; s < k; s++) {
                int before = end & ~(1 << s);
                if ((end & (1 << s)) != 0 && best[j - 1][before] >= 0
                        && best[j - 1][before] + agreement(slots.get(s), objects.get(j - 1)) == best[j][end]) {
                    match[s] = objects.get(j - 1);
                    end = before;
                    break;
                }
            }
        }
        return match;
    }

    private static int agreement(ObjectGroup slot, SceneObject object) {
        return (slot.colour() == object.colour() ? 1 : 0) + (slot.shape() == object.shape() ? 1 : 0);
    }

    private static double share(int right, int total) {
        return total == 0 ? Double.NaN : (double) right / total;
    }
}
