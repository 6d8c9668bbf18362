package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.SceneObject;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Maximum bipartite matching of two scenes' objects under a pairing rule, by augmenting paths
 * (Kuhn's algorithm; Kuhn 1955): the largest number of disjoint pairs (a, b) that the rule allows.
 * Scenes hold a handful of objects, so its O(|A|·|A||B|) cost is nothing.
 */
final class ObjectMatching {

    private ObjectMatching() { }

    /** The size of a maximum matching of {@code a} with {@code b} in which every pair satisfies {@code allowed}. */
    static int size(List<SceneObject> a, List<SceneObject> b, BiPredicate<SceneObject, SceneObject> allowed) {
        boolean[][] edge = new boolean[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                edge[i][j] = allowed.test(a.get(i), b.get(j));
            }
        }
        int[] partner = new int[b.size()]; // the a-index matched to each b, or -1
        Arrays.fill(partner, -1);
        int matched = 0;
        for (int i = 0; i < a.size(); i++) {
            if (augment(i, edge, partner, new boolean[b.size()])) {
                matched++;
            }
        }
        return matched;
    }

    /** Whether an augmenting path starts at a-object {@code i}; flips it into {@code partner} if so. */
    private static boolean augment(int i, boolean[][] edge, int[] partner, boolean[] visited) {
        for (int j = 0; j < partner.length; j++) {
            if (edge[i][j] && !visited[j]) {
                visited[j] = true;
                if (partner[j] < 0 || augment(partner[j], edge, partner, visited)) {
                    partner[j] = i;
                    return true;
                }
            }
        }
        return false;
    }
}
