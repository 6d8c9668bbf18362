package io.difflab.datasets.shapes.evaluator;

import io.difflab.api.Split;
import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.SceneObject;
import io.difflab.datasets.shapes.ShapeKind;
import io.difflab.datasets.shapes.ShapesGenerator;
import io.difflab.datasets.shapes.ShapesSplit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.difflab.datasets.shapes.Colour.BLUE;
import static io.difflab.datasets.shapes.Colour.GREEN;
import static io.difflab.datasets.shapes.Colour.RED;
import static io.difflab.datasets.shapes.ObjectSize.SMALL;
import static io.difflab.datasets.shapes.ShapeKind.CIRCLE;
import static io.difflab.datasets.shapes.ShapeKind.SQUARE;
import static io.difflab.datasets.shapes.ShapeKind.STAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceAgreementTest {

    private static final double EPS = 1e-12;

    private static SceneObject o(ShapeKind shape, Colour colour, double x, double y) {
        return new SceneObject(shape, colour, SMALL, x, y);
    }

    private static Scene scene(SceneObject... objects) {
        return new Scene(List.of(objects));
    }

    private static ReferenceAgreement one(Scene sample, Scene reference) {
        return ReferenceAgreement.measure(List.of(sample), List.of(reference));
    }

    /**
     * R = {red circle (.2, .2), blue square (.7, .7)}; S = {red circle (.25, .2), blue circle (.7, .3),
     * green star (.5, .9)}. Only the red circles are within 1/8 (0.05 apart), so m = 1 and position
     * F1 = 2·1/(3 + 2) = 0.4; colours {r, b, g} ∩ {r, b} = 2: 4/5; shapes {c, c, s} ∩ {c, sq} = 1: 2/5;
     * object F1 = 2/5 (the red circles). The identical pair scores 1 everywhere; the means halve.
     */
    @Test
    void handWorkedScenesGiveTheirF1s() {
        Scene reference = scene(o(CIRCLE, RED, .2, .2), o(SQUARE, BLUE, .7, .7));
        Scene sample = scene(o(CIRCLE, RED, .25, .2), o(CIRCLE, BLUE, .7, .3), o(STAR, GREEN, .5, .9));
        ReferenceAgreement a = one(sample, reference);
        assertEquals(0.0, a.countMatch(), EPS);
        assertEquals(1.0, a.countError(), EPS);
        assertEquals(0.4, a.position(), EPS);
        assertEquals(0.8, a.colour(), EPS);
        assertEquals(0.4, a.shape(), EPS);
        assertEquals(0.4, a.object(), EPS);
        assertEquals(0.0, a.scene(), EPS);

        ReferenceAgreement mean = ReferenceAgreement.measure(List.of(sample, reference), List.of(reference, reference));
        assertEquals(2, mean.images());
        assertEquals(0.5, mean.countMatch(), EPS);
        assertEquals(0.5, mean.countError(), EPS);
        assertEquals(0.7, mean.position(), EPS);
        assertEquals(0.9, mean.colour(), EPS);
        assertEquals(0.7, mean.shape(), EPS);
        assertEquals(0.7, mean.object(), EPS);
        assertEquals(0.5, mean.scene(), EPS);
    }

    /**
     * R = {(.30, .5), (.45, .5)}, S = {(.36, .5), (.20, .5)}: pairing nearest first would take
     * (.36)-(.30) at 0.06 and leave (.20) 0.25 from (.45); the maximum matching pairs (.36)-(.45) at
     * 0.09 and (.20)-(.30) at 0.10, both within 1/8: position F1 = 1, the scene matches.
     */
    @Test
    void positionsArePairedByAMaximumMatchingNotNearestFirst() {
        Scene reference = scene(o(CIRCLE, RED, .30, .5), o(CIRCLE, RED, .45, .5));
        Scene sample = scene(o(CIRCLE, RED, .36, .5), o(CIRCLE, RED, .20, .5));
        ReferenceAgreement a = one(sample, reference);
        assertEquals(1.0, a.position(), EPS);
        assertEquals(1.0, a.object(), EPS);
        assertEquals(1.0, a.scene(), EPS);
        // one cell apart is the same position, a little more is not
        assertEquals(1.0, one(scene(o(CIRCLE, RED, .5, .5 + .125)), scene(o(CIRCLE, RED, .5, .5))).position(), EPS);
        assertEquals(0.0, one(scene(o(CIRCLE, RED, .5, .5 + .126)), scene(o(CIRCLE, RED, .5, .5))).position(), EPS);
    }

    @Test
    void emptyScenesAgreeAndAnEmptySampleOfAnObjectDoesNot() {
        ReferenceAgreement empty = one(scene(), scene());
        assertEquals(List.of(1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0), values(empty));
        ReferenceAgreement missing = one(scene(), scene(o(STAR, GREEN, .5, .5)));
        assertEquals(List.of(0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0), values(missing));
    }

    /** Real scenes of the test split: each with itself agrees fully; each with the next one far less. */
    @Test
    void realScenesAgreeWithThemselvesAndNotWithOthers() {
        ShapesSplit split = ShapesGenerator.generate(0, Split.TEST, 2000, 32);
        List<Scene> scenes = Arrays.asList(split.scenes());
        assertEquals(List.of(1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0), values(ReferenceAgreement.measure(scenes, scenes)));

        List<Scene> next = new ArrayList<>(scenes.subList(1, scenes.size()));
        next.add(scenes.get(0));
        ReferenceAgreement other = ReferenceAgreement.measure(scenes, next);
        System.out.println("real test scenes against the next one: " + other);
        int sameCount = 0;
        for (int i = 0; i < scenes.size(); i++) {
            sameCount += scenes.get(i).size() == next.get(i).size() ? 1 : 0;
            if (scenes.get(i).size() != next.get(i).size()) {
                ReferenceAgreement pair = one(scenes.get(i), next.get(i));
                assertEquals(0.0, pair.countMatch());
                assertEquals(0.0, pair.scene());
            }
        }
        assertEquals(sameCount / 2000.0, other.countMatch(), EPS);
        assertTrue(other.countMatch() < 0.6 && other.scene() < 0.01 && other.position() < 0.3 && other.object() < 0.1,
                other::toString);
    }

    private static List<Double> values(ReferenceAgreement a) {
        return List.of(a.countMatch(), a.countError(), a.position(), a.colour(), a.shape(), a.object(), a.scene());
    }
}
