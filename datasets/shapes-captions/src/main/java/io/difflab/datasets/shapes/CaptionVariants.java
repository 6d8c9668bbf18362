package io.difflab.datasets.shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * Counterfactual captions: a caption with one attribute of one phrase changed to each of its values
 * (the phrase's number 1-4, its colour, its shape) or its relation changed to each relation, the
 * true caption among them. A model that reads captions faithfully tells the true one apart; the
 * share of such questions it answers, per attribute, is its zero-shot faithfulness (as CLIP's
 * zero-shot classification, Radford et al. 2021, sec. 3.1, with captions for classes).
 */
public final class CaptionVariants {

    /** What a question varies. */
    public enum Attribute {
        COUNT, COLOUR, SHAPE, RELATION
    }

    /**
     * One question: the candidate captions and which one is true.
     *
     * @param attribute what differs between the candidates
     * @param candidates the captions, each a variant of the true one
     * @param answer     the index of the true caption
     * @param count      the true number of the varied phrase (1-4)
     */
    public record Question(Attribute attribute, List<String> candidates, int answer, int count) {

        public Question {
            candidates = List.copyOf(candidates);
        }
    }

    private CaptionVariants() {
    }

    /** Every question about {@code request}: count, colour and shape of each phrase, and its relation. */
    public static List<Question> of(SceneRequest request) {
        List<Question> out = new ArrayList<>();
        List<ObjectGroup> groups = request.groups();
        for (int g = 0; g < groups.size(); g++) {
            ObjectGroup group = groups.get(g);
            List<String> counts = new ArrayList<>();
            for (int n = 1; n <= ObjectGroup.MAX_COUNT; n++) {
                counts.add(caption(request, g, new ObjectGroup(n, group.colour(), group.shape(), group.size())));
            }
            out.add(new Question(Attribute.COUNT, counts, group.count() - 1, group.count()));
            List<String> colours = new ArrayList<>();
            for (Colour c : Colour.values()) {
                colours.add(caption(request, g, new ObjectGroup(group.count(), c, group.shape(), group.size())));
            }
            out.add(new Question(Attribute.COLOUR, colours, group.colour().ordinal(), group.count()));
            List<String> shapes = new ArrayList<>();
            for (ShapeKind k : ShapeKind.values()) {
                shapes.add(caption(request, g, new ObjectGroup(group.count(), group.colour(), k, group.size())));
            }
            out.add(new Question(Attribute.SHAPE, shapes, group.shape().ordinal(), group.count()));
        }
        if (request.relation() != null) {
            List<String> relations = new ArrayList<>();
            for (Relation r : Relation.values()) {
                relations.add(CaptionGrammar.caption(groups, r));
            }
            out.add(new Question(Attribute.RELATION, relations, request.relation().ordinal(), 1));
        }
        return out;
    }

    /** The caption of {@code request} with phrase {@code index} replaced by {@code replacement}. */
    private static String caption(SceneRequest request, int index, ObjectGroup replacement) {
        List<ObjectGroup> groups = new ArrayList<>(request.groups());
        groups.set(index, replacement);
        return CaptionGrammar.caption(groups, request.relation());
    }
}
