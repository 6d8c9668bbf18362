package io.difflab.datasets.shapes.evaluator;

import io.difflab.api.Split;
import io.difflab.datasets.shapes.CaptionParser;
import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.ObjectSize;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.SceneRequest;
import io.difflab.datasets.shapes.ShapeKind;
import io.difflab.datasets.shapes.ShapesGenerator;
import io.difflab.datasets.shapes.ShapesSplit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.difflab.datasets.shapes.Colour.BLUE;
import static io.difflab.datasets.shapes.Colour.GREEN;
import static io.difflab.datasets.shapes.Colour.RED;
import static io.difflab.datasets.shapes.Colour.YELLOW;
import static io.difflab.datasets.shapes.ObjectSize.LARGE;
import static io.difflab.datasets.shapes.ObjectSize.SMALL;
import static io.difflab.datasets.shapes.ShapeKind.CIRCLE;
import static io.difflab.datasets.shapes.ShapeKind.SQUARE;
import static io.difflab.datasets.shapes.ShapeKind.STAR;
import static io.difflab.datasets.shapes.ShapeKind.TRIANGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionFaithfulnessTest {

    private static SceneObject o(ShapeKind shape, Colour colour, ObjectSize size, double x, double y) {
        return new SceneObject(shape, colour, size, x, y);
    }

    private static FaithfulnessScores score(String caption, SceneObject... objects) {
        return CaptionFaithfulness.score(List.of(CaptionParser.parse(caption)), List.of(new Scene(List.of(objects))));
    }

    @Test
    void theTrueScenesOfGeneratedCaptionsScoreOneEverywhere() {
        ShapesSplit split = ShapesGenerator.generate(0, Split.TEST, 2000, 32);
        List<SceneRequest> requests = Arrays.stream(split.captions()).map(CaptionParser::parse).toList();
        FaithfulnessScores s = CaptionFaithfulness.score(requests, Arrays.asList(split.scenes()));
        assertEquals(2000, s.images());
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0), Arrays.stream(s.count()).boxed().toList());
        assertEquals(1.0, s.colour());
        assertEquals(1.0, s.shape());
        assertEquals(1.0, s.relation());
        assertEquals(1.0, s.exact());
    }

    @Test
    void aMissingObjectFailsTheCountOfItsNumberAndTheMatchOfOneObject() {
        FaithfulnessScores s = score("three red circles", o(CIRCLE, RED, SMALL, .2, .2), o(CIRCLE, RED, LARGE, .6, .6));
        assertEquals(0.0, s.count()[2]);
        assertTrue(Double.isNaN(s.count()[0]), "no phrase asked for one object");
        assertEquals(2.0 / 3, s.colour(), 1e-12);
        assertEquals(2.0 / 3, s.shape(), 1e-12);
        assertTrue(Double.isNaN(s.relation()));
        assertEquals(0.0, s.exact());
    }

    @Test
    void anExtraObjectKeepsCountsColoursAndShapesButIsNoExactMatch() {
        FaithfulnessScores s = score("a red circle", o(CIRCLE, RED, SMALL, .2, .2), o(SQUARE, BLUE, SMALL, .7, .7));
        assertEquals(1.0, s.count()[0]);
        assertEquals(1.0, s.colour());
        assertEquals(1.0, s.shape());
        assertEquals(0.0, s.exact());
    }

    @Test
    void swappedColoursFailTheCountsAndHalfTheAttributes() {
        FaithfulnessScores s = score("a red circle and a blue square", o(CIRCLE, BLUE, SMALL, .2, .2),
                o(SQUARE, RED, SMALL, .7, .7));
        assertEquals(0.0, s.count()[0]);
        assertEquals(1.0, s.colour() + s.shape(), 1e-12, "each requested object agrees in one attribute of two");
        assertEquals(0.0, s.exact());
    }

    @Test
    void aNamedSizeCountsButColourAndShapeStillMatch() {
        FaithfulnessScores s = score("a small red circle", o(CIRCLE, RED, LARGE, .5, .5));
        assertEquals(0.0, s.count()[0]);
        assertEquals(1.0, s.colour());
        assertEquals(1.0, s.shape());
        assertEquals(0.0, s.exact());
    }

    @Test
    void aReversedRelationFailsOnlyTheRelationAndTheExactMatch() {
        FaithfulnessScores right = score("a green triangle left of a yellow star", o(TRIANGLE, GREEN, SMALL, .2, .5),
                o(STAR, YELLOW, LARGE, .7, .5));
        FaithfulnessScores wrong = score("a green triangle left of a yellow star", o(TRIANGLE, GREEN, SMALL, .7, .5),
                o(STAR, YELLOW, LARGE, .2, .5));
        assertEquals(1.0, right.relation());
        assertEquals(1.0, right.exact());
        assertEquals(0.0, wrong.relation());
        assertEquals(0.0, wrong.exact());
        assertEquals(1.0, wrong.count()[0]);
        assertEquals(1.0, wrong.colour());
        assertEquals(1.0, wrong.shape());
    }

    @Test
    void anEmptyImageIsWrongInEverything() {
        FaithfulnessScores s = score("two blue stars");
        assertEquals(0.0, s.count()[1]);
        assertEquals(0.0, s.colour());
        assertEquals(0.0, s.shape());
        assertEquals(0.0, s.exact());
    }

    @Test
    void sharesAverageOverImagesAndPerRequestedNumber() {
        List<SceneRequest> requests = new ArrayList<>();
        List<Scene> scenes = new ArrayList<>();
        requests.add(CaptionParser.parse("two red circles"));
        scenes.add(new Scene(List.of(o(CIRCLE, RED, SMALL, .2, .2), o(CIRCLE, RED, SMALL, .6, .6))));
        requests.add(CaptionParser.parse("two red circles"));
        scenes.add(new Scene(List.of(o(CIRCLE, RED, SMALL, .2, .2))));
        requests.add(CaptionParser.parse("a blue square"));
        scenes.add(new Scene(List.of(o(SQUARE, BLUE, SMALL, .2, .2))));
        FaithfulnessScores s = CaptionFaithfulness.score(requests, scenes);
        assertEquals(1.0, s.count()[0]);
        assertEquals(0.5, s.count()[1]);
        assertEquals(4.0 / 5, s.colour(), 1e-12);
        assertEquals(2.0 / 3, s.exact(), 1e-12);
        Map<String, Double> metrics = s.asMetrics("eval.scene");
        assertEquals(0.5, metrics.get("eval.scene.count_acc.2"));
        assertEquals(3.0, metrics.get("eval.scene.n"));
        assertFalse(metrics.containsKey("eval.scene.count_acc.3"), "nothing asked for three");
        assertFalse(metrics.containsKey("eval.scene.relation_acc"), "no relation asked for");
    }
}
