package io.difflab.tracking.remote;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gist of a server's error body, for one line of a message: its JSON {@code message}, else its first line, cut short. */
final class ServerAnswers {

    /** The longest gist, in characters. */
    static final int MAX = 200;
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ServerAnswers() {
    }

    static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "(no details)";
        }
        Matcher m = MESSAGE.matcher(body);
        String text = m.find() ? m.group(1) : body.strip().lines().findFirst().orElse("");
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String clean = out.toString().strip();
        return clean.length() <= MAX ? clean : clean.substring(0, MAX - 3) + "...";
    }
}
