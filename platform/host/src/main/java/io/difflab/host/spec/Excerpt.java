package io.difflab.host.spec;

/**
 * User text as messages quote it: at most {@value #MAX} characters (longer text is cut and says
 * how long it was) with control characters shown as escapes ({@code \u001B}), so that a wrong
 * file named as a spec, a binary file or a name holding terminal escape codes never floods or
 * drives the terminal.
 */
public final class Excerpt {

    /** The longest excerpt, in characters. */
    public static final int MAX = 60;

    private Excerpt() { }

    /** {@code text} cut to {@value #MAX} characters and made printable. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        int length = text.codePointCount(0, text.length());
        if (length <= MAX) {
            return printable(text, false);
        }
        String head = text.substring(0, text.offsetByCodePoints(0, MAX - 1));
        return printable(head, false) + "... (" + length + " characters)";
    }

    /**
     * {@code text} with every control character (and the other invisible format characters, e.g.
     * bidirectional overrides) escaped; line breaks and tabs are kept when {@code keepLines}.
     */
    public static String printable(String text, boolean keepLines) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean layout = c == '\n' || c == '\t';
            int type = Character.getType(c);
            if ((layout && keepLines) || !(Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE)) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format(c > 0xFFFF ? "\\U%08X" : "\\u%04X", c));
            }
        });
        return out.toString();
    }
}
