package io.difflab.datasets.shapes;

/** A spatial relation between two objects, decided by their centres (rows grow downwards). */
public enum Relation {

    LEFT_OF("left of"),
    RIGHT_OF("right of"),
    ABOVE("above"),
    BELOW("below");

    private final String words;

    Relation(String words) {
        this.words = words;
    }

    /** The caption's words, e.g. {@code left of}. */
    public String words() {
        return words;
    }

    /** Whether {@code a} is in this relation to {@code b}: a's centre is strictly left of (right of, above, below) b's. */
    public boolean holds(SceneObject a, SceneObject b) {
        return switch (this) {
            case LEFT_OF -> a.x() < b.x();
            case RIGHT_OF -> a.x() > b.x();
            case ABOVE -> a.y() < b.y();
            case BELOW -> a.y() > b.y();
        };
    }

    /** Whether it compares columns (left/right) rather than rows. */
    public boolean horizontal() {
        return this == LEFT_OF || this == RIGHT_OF;
    }
}
