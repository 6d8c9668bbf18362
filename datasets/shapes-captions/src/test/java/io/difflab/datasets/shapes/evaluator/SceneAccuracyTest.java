package io.difflab.datasets.shapes.evaluator;

import io.difflab.datasets.shapes.CaptionParser;
import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.ObjectSize;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.SceneRequest;
import io.difflab.datasets.shapes.ShapeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneAccuracyTest {

    private static final SceneObject RED_CIRCLE = new SceneObject(ShapeKind.CIRCLE, Colour.RED, ObjectSize.SMALL, .2, .5);
    private static final SceneObject BLUE_STAR = new SceneObject(ShapeKind.STAR, Colour.BLUE, ObjectSize.LARGE, .7, .5);
    private static final Scene TRUTH = new Scene(List.of(RED_CIRCLE, BLUE_STAR));
    private static final SceneRequest CAPTION = CaptionParser.parse("a red circle left of a blue star");

    private static SceneAccuracy measure(SceneObject... predicted) {
        return SceneAccuracy.measure(List.of(TRUTH), List.of(new Scene(List.of(predicted))), List.of(CAPTION));
    }

    private static SceneObject moved(SceneObject o, double dx, ColourChange change) {
        return new SceneObject(o.shape(), change.colour(o), o.size(), o.x() + dx, o.y());
    }

    private interface ColourChange {
        Colour colour(SceneObject o);
    }

    @Test
    void aPerfectReadingIsRightInEverything() {
        SceneAccuracy a = measure(moved(BLUE_STAR, 0.01, SceneObject::colour), RED_CIRCLE);
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
                List.of(a.count(), a.shape(), a.colour(), a.size(), a.relation(), a.exact()));
    }

    @Test
    void aWrongColourCostsThatObjectsColourAndTheExactScene() {
        SceneAccuracy a = measure(RED_CIRCLE, moved(BLUE_STAR, 0, o -> Colour.GREEN));
        assertEquals(1.0, a.count());
        assertEquals(0.5, a.colour());
        assertEquals(1.0, a.shape());
        assertEquals(1.0, a.relation(), "the relation is about positions");
        assertEquals(0.0, a.exact());
        assertEquals(0.0, a.worst());
    }

    @Test
    void aMissedObjectCostsCountEveryAttributeOfItAndTheRelation() {
        SceneAccuracy a = measure(RED_CIRCLE);
        assertEquals(0.0, a.count());
        assertEquals(0.5, a.shape());
        assertEquals(0.0, a.relation());
        assertEquals(0.0, a.exact());
    }

    @Test
    void anObjectReadTooFarAwayIsNotPaired() {
        SceneAccuracy a = measure(RED_CIRCLE, moved(BLUE_STAR, -0.2, SceneObject::colour));
        assertEquals(1.0, a.count());
        assertEquals(0.5, a.shape());
        assertEquals(0.0, a.exact());
        assertTrue(Double.isNaN(SceneAccuracy.measure(List.of(TRUTH), List.of(TRUTH),
                List.of(CaptionParser.parse("a red circle and a blue star"))).relation()), "no relation asked");
    }
}
