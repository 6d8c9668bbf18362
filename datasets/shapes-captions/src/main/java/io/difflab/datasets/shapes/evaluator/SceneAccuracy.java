package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.SceneRequest;

import java.util.List;

/**
 * How well predicted scenes agree with the true ones, per attribute. Each true object is paired with
 * the nearest unpaired predicted object whose centre is within one grid cell (1/{@value SceneGrid#CELLS}
 * of the side), nearest pairs first.
 *
 * @param images   how many images were compared
 * @param count    share of images whose predicted number of objects is right
 * @param shape    share of true objects paired with an object of the right shape
 * @param colour   share of true objects paired with an object of the right colour
 * @param size     share of true objects paired with an object of the right size
 * @param relation share of relation captions whose two objects' pairs stand in the caption's relation
 * @param exact    share of images whose prediction is right in every object and attribute, nothing extra
 */
public record SceneAccuracy(int images, double count, double shape, double colour, double size, double relation,
                            double exact) {

    /** The agreement of {@code predicted} with {@code truth}; {@code requests} are the images' captions. */
    public static SceneAccuracy measure(List<Scene> truth, List<Scene> predicted, List<SceneRequest> requests) {
        if (truth.size() != predicted.size() || truth.size() != requests.size()) {
            throw new IllegalArgumentException(truth.size() + " true scenes, " + predicted.size() + " predicted, "
                    + requests.size() + " requests");
        }
        int counts = 0;
        int objects = 0;
        int shapes = 0;
        int colours = 0;
        int sizes = 0;
        int relations = 0;
        int relationsRight = 0;
        int exact = 0;
        for (int i = 0; i < truth.size(); i++) {
            List<SceneObject> t = truth.get(i).objects();
            SceneObject[] paired = pair(t, predicted.get(i).objects());
            boolean allRight = t.size() == predicted.get(i).size();
            counts += t.size() == predicted.get(i).size() ? 1 : 0;
            for (int k = 0; k < t.size(); k++) {
                SceneObject p = paired[k];
                objects++;
                shapes += p != null && p.shape() == t.get(k).shape() ? 1 : 0;
                colours += p != null && p.colour() == t.get(k).colour() ? 1 : 0;
                sizes += p != null && p.size() == t.get(k).size() ? 1 : 0;
                allRight &= p != null && p.shape() == t.get(k).shape() && p.colour() == t.get(k).colour()
                        && p.size() == t.get(k).size();
            }
            exact += allRight ? 1 : 0;
            SceneRequest request = requests.get(i);
            if (request.relation() != null) {
                relations++;
                int a = indexOf(t, request, 0);
                int b = indexOf(t, request, 1);
                if (paired[a] != null && paired[b] != null && request.relation().holds(paired[a], paired[b])) {
                    relationsRight++;
                }
            }
        }
        int n = truth.size();
        return new SceneAccuracy(n, share(counts, n), share(shapes, objects), share(colours, objects),
                share(sizes, objects), share(relationsRight, relations), share(exact, n));
    }

    /** The lowest of the six shares (a relation share of NaN, when no caption had one, is skipped). */
    public double worst() {
        double worst = Math.min(Math.min(count, shape), Math.min(Math.min(colour, size), exact));
        return Double.isNaN(relation) ? worst : Math.min(worst, relation);
    }

    /** For each true object, its paired prediction or null. */
    static SceneObject[] pair(List<SceneObject> truth, List<SceneObject> predicted) {
        SceneObject[] paired = new SceneObject[truth.size()];
        boolean[] used = new boolean[predicted.size()];
        double limit = 1.0 / SceneGrid.CELLS;
        while (true) {
            int bestT = -1;
            int bestP = -1;
            double best = limit;
            for (int k = 0; k < truth.size(); k++) {
                for (int j = 0; j < predicted.size(); j++) {
                    double d = truth.get(k).distanceTo(predicted.get(j));
                    if (paired[k] == null && !used[j] && d <= best) {
                        best = d;
                        bestT = k;
                        bestP = j;
                    }
                }
            }
            if (bestT < 0) {
                return paired;
            }
            paired[bestT] = predicted.get(bestP);
            used[bestP] = true;
        }
    }

    private static int indexOf(List<SceneObject> truth, SceneRequest request, int group) {
        for (int k = 0; k < truth.size(); k++) {
            if (request.groups().get(group).describes(truth.get(k))) {
                return k;
            }
        }
        throw new IllegalArgumentException("the scene has no " + request.groups().get(group));
    }

    private static double share(int right, int total) {
        return total == 0 ? Double.NaN : (double) right / total;
    }
}
