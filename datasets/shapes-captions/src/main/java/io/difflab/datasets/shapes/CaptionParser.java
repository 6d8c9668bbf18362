package io.difflab.datasets.shapes;

import io.difflab.api.UserError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a caption of the {@link CaptionGrammar} back into the {@link SceneRequest} it asks for,
 * so that a metric can score an image against the caption it was requested with. Case, extra
 * spaces, a final full stop, "one" for "a" and "and" between every phrase are accepted; anything
 * else outside the grammar is refused with a message saying what was expected.
 */
public final class CaptionParser {

    private CaptionParser() { }

    /**
     * The request {@code caption} makes.
     *
     * @throws UserError when the caption is not in the grammar
     */
    public static SceneRequest parse(String caption) {
        String text = caption == null ? "" : caption.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        List<String> words = new ArrayList<>(Arrays.asList(text.replace(",", " , ").trim().split("\\s+")));
        Cursor cursor = new Cursor(caption, words);
        List<ObjectGroup> groups = new ArrayList<>();
        groups.add(phrase(cursor));
        Relation relation = relation(cursor);
        if (relation != null) {
            groups.add(phrase(cursor));
        } else {
            while (cursor.more()) {
                String separator = cursor.next();
                if (separator.equals(",") && cursor.peekIs("and")) {
                    cursor.next();
                } else if (!separator.equals(",") && !separator.equals("and")) {
                    throw cursor.error("\",\", \"and\" or a relation (left of, right of, above, below)", separator);
                }
                groups.add(phrase(cursor));
            }
        }
        if (cursor.more()) {
            throw cursor.error("the end of the caption", cursor.next());
        }
        try {
            return new SceneRequest(groups, relation);
        } catch (IllegalArgumentException e) {
            throw new UserError("the caption \"" + caption + "\" asks for an impossible scene: " + e.getMessage(), e);
        }
    }

    /** number [size] colour shape */
    private static ObjectGroup phrase(Cursor cursor) {
        String numberWord = cursor.expectMore("a number (a, an, one, two, three, four)");
        int count = CaptionGrammar.number(numberWord);
        if (count == 0) {
            throw cursor.error("a number (a, an, one, two, three, four)", numberWord);
        }
        String word = cursor.expectMore("a size or a colour");
        ObjectSize size = ObjectSize.fromWord(word);
        if (size != null) {
            word = cursor.expectMore("a colour");
        }
        Colour colour = Colour.fromWord(word);
        if (colour == null) {
            throw cursor.error((size == null ? "a size (small, large) or " : "") + "a colour " + Colour.words(), word);
        }
        String noun = cursor.expectMore("a shape");
        ShapeKind shape = ShapeKind.fromWord(noun);
        if (shape == null) {
            throw cursor.error("a shape " + ShapeKind.words(), noun);
        }
        String expected = count == 1 ? shape.word() : shape.plural();
        if (!noun.equals(expected)) {
            throw cursor.error("\"" + expected + "\" after \"" + numberWord + "\"", noun);
        }
        try {
            return new ObjectGroup(count, colour, shape, size);
        } catch (IllegalArgumentException e) {
            throw new UserError("the caption \"" + cursor.caption + "\": " + e.getMessage(), e);
        }
    }

    /** A relation's words at the cursor, consumed, or null (nothing consumed). */
    private static Relation relation(Cursor cursor) {
        for (Relation r : Relation.values()) {
            String[] words = r.words().split(" ");
            if (cursor.peekAre(words)) {
                cursor.skip(words.length);
                return r;
            }
        }
        return null;
    }

    /** A position in the caption's words. */
    private static final class Cursor {
        final String caption;
        final List<String> words;
        int at;

        Cursor(String caption, List<String> words) {
            this.caption = caption;
            this.words = words.size() == 1 && words.get(0).isEmpty() ? List.of() : words;
        }

        boolean more() {
            return at < words.size();
        }

        String next() {
            return words.get(at++);
        }

        String expectMore(String expected) {
            if (!more()) {
                throw new UserError("the caption \"" + caption + "\" ends where " + expected + " was expected");
            }
            return next();
        }

        boolean peekIs(String word) {
            return more() && words.get(at).equals(word);
        }

        boolean peekAre(String[] expected) {
            for (int i = 0; i < expected.length; i++) {
                if (at + i >= words.size() || !words.get(at + i).equals(expected[i])) {
                    return false;
                }
            }
            return true;
        }

        void skip(int n) {
            at += n;
        }

        UserError error(String expected, String found) {
            return new UserError("the caption \"" + caption + "\" is not in the shapes-captions grammar: expected "
                    + expected + " at word " + at + ", found \"" + found + "\"");
        }
    }
}
