package io.difflab.datasets.shapes;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionParserTest {

    @Test
    void everyDrawnRequestSurvivesCaptionAndParse() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            SceneRequest request = CaptionGrammar.draw(rng);
            assertEquals(request, CaptionParser.parse(CaptionGrammar.caption(request)), CaptionGrammar.caption(request));
        }
    }

    @Test
    void countsSizesAndArticles() {
        assertEquals(SceneRequest.of(new ObjectGroup(3, Colour.RED, ShapeKind.CIRCLE, null)),
                CaptionParser.parse("three red circles"));
        assertEquals(SceneRequest.of(new ObjectGroup(1, Colour.ORANGE, ShapeKind.STAR, ObjectSize.SMALL)),
                CaptionParser.parse("a small orange star"));
        assertEquals("an orange star", CaptionGrammar.caption(SceneRequest.of(
                new ObjectGroup(1, Colour.ORANGE, ShapeKind.STAR, null))));
        assertEquals("four large blue squares", CaptionGrammar.caption(SceneRequest.of(
                new ObjectGroup(4, Colour.BLUE, ShapeKind.SQUARE, ObjectSize.LARGE))));
    }

    @Test
    void bindingWithCommasAndAnd() {
        SceneRequest expected = SceneRequest.of(new ObjectGroup(1, Colour.RED, ShapeKind.CIRCLE, null),
                new ObjectGroup(2, Colour.BLUE, ShapeKind.SQUARE, null),
                new ObjectGroup(1, Colour.GREEN, ShapeKind.STAR, ObjectSize.LARGE));
        assertEquals(expected, CaptionParser.parse("a red circle, two blue squares and a large green star"));
        assertEquals(expected, CaptionParser.parse("A red circle, two blue squares, and a large green star."));
        assertEquals(expected, CaptionParser.parse("  one red circle and two blue squares and a large green star "));
        assertNull(expected.relation());
    }

    @Test
    void relations() {
        SceneRequest r = CaptionParser.parse("a green triangle left of a yellow star");
        assertEquals(Relation.LEFT_OF, r.relation());
        assertEquals(List.of(new ObjectGroup(1, Colour.GREEN, ShapeKind.TRIANGLE, null),
                new ObjectGroup(1, Colour.YELLOW, ShapeKind.STAR, null)), r.groups());
        assertEquals(Relation.BELOW, CaptionParser.parse("a small red square below a purple circle").relation());
        assertEquals(Relation.RIGHT_OF, CaptionParser.parse("a red square right of a purple circle").relation());
        assertEquals(Relation.ABOVE, CaptionParser.parse("a red square above a purple circle").relation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "red circles", "five red circles", "a pink circle", "a red hexagon", "two red circle",
        "a red circles", "a red circle and", "a red circle or a blue star", "a red circle left a blue star",
        "two red circles left of a blue star", "a red circle and a red circle", "three red circles and two blue stars",
        "a red circle left of a blue star and a green square", "a small large red circle"})
    void captionsOutsideTheGrammarAreRefusedWithAMessage(String caption) {
        UserError e = assertThrows(UserError.class, () -> CaptionParser.parse(caption));
        assertTrue(e.getMessage().contains("\"" + caption + "\""), e::getMessage);
    }

    @Test
    void theMessageSaysWhatWasExpected() {
        UserError e = assertThrows(UserError.class, () -> CaptionParser.parse("a pink circle"));
        assertTrue(e.getMessage().contains("expected a size (small, large) or a colour [red, green, blue, yellow, "
                + "purple, orange]") && e.getMessage().contains("found \"pink\""), e::getMessage);
    }
}
