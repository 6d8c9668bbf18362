package io.difflab.datasets.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The caption grammar, both ways from a {@link SceneRequest}: drawing a request at random and
 * writing its caption.
 * <pre>
 * caption  := phrase                                 counting:  "three red circles"
 *           | phrase ("," phrase)* " and " phrase     binding:   "a red circle and two blue squares"
 *           | phrase relation phrase                 relation:  "a green triangle left of a yellow star"
 * phrase   := number [size] colour shape             "a", "an", "two", "three", "four"; shape plural after 2+
 * relation := "left of" | "right of" | "above" | "below"
 * </pre>
 * Drawn captions are {@value #COUNTING_PERCENT}% counting (1 to 4 objects of one kind, uniformly),
 * {@value #BINDING_PERCENT}% binding (two or three groups, at most four objects) and the rest
 * relations between two single objects. Each phrase names its size with probability 1/2 in
 * counting captions and 3/10 otherwise.
 */
public final class CaptionGrammar {

    static final int COUNTING_PERCENT = 40;
    static final int BINDING_PERCENT = 30;

    private static final String[] NUMBERS = {"a", "two", "three", "four"};

    private CaptionGrammar() { }

    /** A request drawn from {@code rng}. */
    public static SceneRequest draw(SplittableRandom rng) {
        int kind = rng.nextInt(100);
        if (kind < COUNTING_PERCENT) {
            return SceneRequest.of(group(rng, 1 + rng.nextInt(ObjectGroup.MAX_COUNT), 50, List.of()));
        }
        if (kind < COUNTING_PERCENT + BINDING_PERCENT) {
            int[] counts = bindingCounts(rng);
            List<ObjectGroup> groups = new ArrayList<>();
            for (int count : counts) {
                groups.add(group(rng, count, 30, groups));
            }
            return new SceneRequest(groups, null);
        }
        ObjectGroup first = group(rng, 1, 30, List.of());
        ObjectGroup second = group(rng, 1, 30, List.of(first));
        return SceneRequest.related(first, Relation.values()[rng.nextInt(Relation.values().length)], second);
    }

    /** The counts of a binding caption: 2 groups (7 in 10) of 1+1 .. 3+1 objects, or 3 groups of 4 objects at most. */
    private static int[] bindingCounts(SplittableRandom rng) {
        if (rng.nextInt(10) < 7) {
            int[][] pairs = {{1, 1}, {1, 2}, {2, 1}, {1, 3}, {3, 1}, {2, 2}};
            return pairs[rng.nextInt(pairs.length)];
        }
        int[][] triples = {{1, 1, 1}, {2, 1, 1}, {1, 2, 1}, {1, 1, 2}};
        return triples[rng.nextInt(triples.length)];
    }

    /** A group of {@code count} whose colour and shape differ from every group in {@code taken}. */
    private static ObjectGroup group(SplittableRandom rng, int count, int sizePercent, List<ObjectGroup> taken) {
        while (true) {
            Colour colour = Colour.values()[rng.nextInt(Colour.values().length)];
            ShapeKind shape = ShapeKind.values()[rng.nextInt(ShapeKind.values().length)];
            ObjectSize size = rng.nextInt(100) < sizePercent
                    ? ObjectSize.values()[rng.nextInt(ObjectSize.values().length)] : null;
            if (taken.stream().noneMatch(g -> g.colour() == colour && g.shape() == shape)) {
                return new ObjectGroup(count, colour, shape, size);
            }
        }
    }

    /** The caption of {@code request}, e.g. {@code a red circle and two blue squares}. */
    public static String caption(SceneRequest request) {
        return caption(request.groups(), request.relation());
    }

    /**
     * The caption of {@code groups} (and {@code relation} between the first two, or null) in the
     * grammar's words, whether or not a scene could satisfy it: a counterfactual caption
     * ({@link CaptionVariants}) may ask for five objects or two groups of one kind.
     */
    static String caption(List<ObjectGroup> groups, Relation relation) {
        if (relation != null) {
            return phrase(groups.get(0)) + " " + relation.words() + " " + phrase(groups.get(1));
        }
        StringBuilder text = new StringBuilder(phrase(groups.get(0)));
        for (int i = 1; i < groups.size(); i++) {
            text.append(i == groups.size() - 1 ? " and " : ", ").append(phrase(groups.get(i)));
        }
        return text.toString();
    }

    /** One noun phrase: "a small red circle", "an orange star", "three blue squares". */
    static String phrase(ObjectGroup group) {
        String adjectives = (group.size() == null ? "" : group.size().word() + " ") + group.colour().word();
        String noun = group.count() == 1 ? group.shape().word() : group.shape().plural();
        String number = NUMBERS[group.count() - 1];
        if (group.count() == 1 && startsWithVowel(adjectives)) {
            number = "an";
        }
        return number + " " + adjectives + " " + noun;
    }

    /** The numbers a phrase may start with; "a" and "an" mean one. */
    static int number(String word) {
        return switch (word) {
            case "a", "an", "one" -> 1;
            case "two" -> 2;
            case "three" -> 3;
            case "four" -> 4;
            default -> 0;
        };
    }

    private static boolean startsWithVowel(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0;
    }
}
