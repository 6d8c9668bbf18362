package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneRequest;
import io.difflab.datasets.shapes.ShapesCaptionsDataset;

import java.util.ArrayList;
import java.util.List;

/** Runs an evaluator over a whole split of shapes-captions against its ground truth. */
public final class SceneEvaluation {

    private SceneEvaluation() { }

    /** The evaluator's accuracy per attribute on every image of {@code split}. */
    public static SceneAccuracy accuracy(SceneEvaluator evaluator, ShapesCaptionsDataset split) {
        int[] all = new int[split.size()];
        List<Scene> truth = new ArrayList<>(all.length);
        List<SceneRequest> requests = new ArrayList<>(all.length);
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            truth.add(split.scene(i));
            requests.add(split.request(i));
        }
        return SceneAccuracy.measure(truth, evaluator.read(split, all), requests);
    }

    /** The requests of every caption of {@code split}. */
    public static List<SceneRequest> requests(ShapesCaptionsDataset split) {
        List<SceneRequest> requests = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) {
            requests.add(split.request(i));
        }
        return requests;
    }
}
