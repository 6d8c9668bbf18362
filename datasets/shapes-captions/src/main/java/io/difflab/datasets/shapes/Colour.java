package io.difflab.datasets.shapes;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The six colours of objects, far apart in hue, drawn on a black background. */
public enum Colour {

    RED(220, 40, 40),
    GREEN(40, 180, 60),
    BLUE(50, 90, 235),
    YELLOW(235, 215, 40),
    PURPLE(155, 60, 205),
    ORANGE(245, 140, 30);

    private final int red;
    private final int green;
    private final int blue;

    Colour(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The 8-bit value of channel 0 (red), 1 (green) or 2 (blue). */
    public int channel(int c) {
        return switch (c) {
            case 0 -> red;
            case 1 -> green;
            case 2 -> blue;
            default -> throw new IndexOutOfBoundsException("channel " + c);
        };
    }

    /** The word a caption uses, e.g. {@code red}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The colour called {@code word}, or null. */
    public static Colour fromWord(String word) {
        for (Colour colour : values()) {
            if (colour.word().equals(word)) {
                return colour;
            }
        }
        return null;
    }

    /** The caption words of every colour, for messages. */
    public static List<String> words() {
        return Arrays.stream(values()).map(Colour::word).toList();
    }
}
