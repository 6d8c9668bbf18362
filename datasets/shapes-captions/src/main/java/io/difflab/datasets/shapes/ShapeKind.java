package io.difflab.datasets.shapes;

import java.util.List;
import java.util.Locale;

/**
 * The shapes a scene is made of, each drawn inside the square [−1, 1]² of its object's radius
 * (y points down, as in images): the radius bounds every shape, so two objects whose centres are
 * further apart than the sum of their radii never overlap.
 */
public enum ShapeKind {

    /** The disc of radius 1. */
    CIRCLE,
    /** An axis-aligned square of half-side {@value #SQUARE_HALF_SIDE}, about the circle's area. */
    SQUARE,
    /** An isosceles triangle pointing up: apex (0, −1), base from (−1, 1) to (1, 1). */
    TRIANGLE,
    /** A five-pointed star pointing up: outer radius 1, inner radius {@value #STAR_INNER_RADIUS}. */
    STAR;

    static final double SQUARE_HALF_SIDE = 0.85;
    static final double STAR_INNER_RADIUS = 0.45;

    /** The star's ten vertices (x0, y0, x1, y1, ...), from StrictMath so that every machine draws the same star. */
    private static final double[] STAR_VERTICES = starVertices();

    /** The word a caption uses, e.g. {@code circle}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The plural a caption uses, e.g. {@code circles}. */
    public String plural() {
        return word() + "s";
    }

    /** Whether the point (u, v), in units of the object's radius from its centre, lies inside the shape. */
    public boolean contains(double u, double v) {
        return switch (this) {
            case CIRCLE -> u * u + v * v <= 1.0;
            case SQUARE -> Math.abs(u) <= SQUARE_HALF_SIDE && Math.abs(v) <= SQUARE_HALF_SIDE;
            case TRIANGLE -> v <= 1.0 && Math.abs(u) <= (v + 1.0) / 2.0;
            case STAR -> insidePolygon(STAR_VERTICES, u, v);
        };
    }

    /** The shape whose {@link #word()} or {@link #plural()} is {@code word}, or null. */
    public static ShapeKind fromWord(String word) {
        for (ShapeKind kind : values()) {
            if (kind.word().equals(word) || kind.plural().equals(word)) {
                return kind;
            }
        }
        return null;
    }

    /** The caption words of every shape, for messages. */
    public static List<String> words() {
        return java.util.Arrays.stream(values()).map(ShapeKind::word).toList();
    }

    /** Even-odd crossing test (W. R. Franklin's PNPOLY) over the closed polygon {@code xy}. */
    private static boolean insidePolygon(double[] xy, double u, double v) {
        boolean inside = false;
        int n = xy.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = xy[2 * i];
            double yi = xy[2 * i + 1];
            double xj = xy[2 * j];
            double yj = xy[2 * j + 1];
            if ((yi > v) != (yj > v) && u < (xj - xi) * (v - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }

    private static double[] starVertices() {
        double[] xy = new double[20];
        for (int k = 0; k < 10; k++) {
            double radius = k % 2 == 0 ? 1.0 : STAR_INNER_RADIUS;
            double angle = -StrictMath.PI / 2 + k * StrictMath.PI / 5;
            xy[2 * k] = radius * StrictMath.cos(angle);
            xy[2 * k + 1] = radius * StrictMath.sin(angle);
        }
        return xy;
    }
}
