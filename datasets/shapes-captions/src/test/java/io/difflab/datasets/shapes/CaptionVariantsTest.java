package io.difflab.datasets.shapes;

import io.difflab.datasets.shapes.CaptionVariants.Attribute;
import io.difflab.datasets.shapes.CaptionVariants.Question;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionVariantsTest {

    @Test
    void aCountingCaptionAsksCountColourAndShape() {
        SceneRequest request = CaptionParser.parse("three red circles");
        List<Question> questions = CaptionVariants.of(request);
        assertEquals(List.of(Attribute.COUNT, Attribute.COLOUR, Attribute.SHAPE),
                questions.stream().map(Question::attribute).toList());
        Question count = questions.get(0);
        assertEquals(List.of("a red circle", "two red circles", "three red circles", "four red circles"),
                count.candidates());
        assertEquals(2, count.answer());
        assertEquals(3, count.count());
        Question colour = questions.get(1);
        assertEquals(Colour.values().length, colour.candidates().size());
        assertEquals("three red circles", colour.candidates().get(colour.answer()));
        assertTrue(colour.candidates().contains("three orange circles"));
        Question shape = questions.get(2);
        assertEquals("three red circles", shape.candidates().get(shape.answer()));
        assertTrue(shape.candidates().contains("three red stars"));
    }

    @Test
    void everyQuestionHoldsTheTrueCaptionOnceAmongDistinctCandidates() {
        for (String caption : List.of("a small red circle and two blue squares", "a green triangle left of a yellow star",
                "a red circle, a blue square and two green stars", "an orange star above a large purple square")) {
            SceneRequest request = CaptionParser.parse(caption);
            String truth = CaptionGrammar.caption(request);
            for (Question q : CaptionVariants.of(request)) {
                assertEquals(truth, q.candidates().get(q.answer()), caption + " " + q.attribute());
                assertEquals(q.candidates().size(), new HashSet<>(q.candidates()).size(), "distinct: " + q);
            }
        }
    }

    @Test
    void aRelationCaptionAlsoAsksItsRelationAndKeepsSizes() {
        List<Question> questions = CaptionVariants.of(CaptionParser.parse("a small green triangle left of a yellow star"));
        Question relation = questions.get(questions.size() - 1);
        assertEquals(Attribute.RELATION, relation.attribute());
        assertEquals(List.of("a small green triangle left of a yellow star",
                "a small green triangle right of a yellow star", "a small green triangle above a yellow star",
                "a small green triangle below a yellow star"), relation.candidates());
        // two phrases: count, colour and shape of each, then the relation
        assertEquals(7, questions.size());
        assertEquals("two small green triangles left of a yellow star", questions.get(0).candidates().get(1));
    }
}
