package io.difflab.datasets.shapes;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a caption asks for, the constraints a scene must meet: one or more groups of objects and,
 * for two single objects, how they are placed ("a green triangle left of a yellow star" is the
 * groups [1 green triangle, 1 yellow star] with {@code relation} LEFT_OF: the first group's object
 * is left of the second's). A caption describes the whole scene: nothing else is in it.
 *
 * @param groups   the noun phrases in caption order; no two share colour and shape
 * @param relation how the first group's object stands to the second's, or null
 */
public record SceneRequest(List<ObjectGroup> groups, Relation relation) {

    public SceneRequest {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a request names at least one group of objects");
        }
        int total = groups.stream().mapToInt(ObjectGroup::count).sum();
        if (total > ObjectGroup.MAX_COUNT) {
            throw new IllegalArgumentException("a scene holds at most " + ObjectGroup.MAX_COUNT + " objects, not "
                    + total);
        }
        Set<String> kinds = new HashSet<>();
        for (ObjectGroup g : groups) {
            if (!kinds.add(g.colour() + " " + g.shape())) {
                throw new IllegalArgumentException("two groups of " + g.colour().word() + " " + g.shape().plural());
            }
        }
        if (relation != null && (groups.size() != 2 || groups.get(0).count() != 1 || groups.get(1).count() != 1)) {
            throw new IllegalArgumentException("a relation holds between exactly two single objects");
        }
    }

    /** A request without a relation. */
    public static SceneRequest of(ObjectGroup... groups) {
        return new SceneRequest(List.of(groups), null);
    }

    /** "{@code first} {@code relation} {@code second}" for two single objects. */
    public static SceneRequest related(ObjectGroup first, Relation relation, ObjectGroup second) {
        return new SceneRequest(List.of(first, second), Objects.requireNonNull(relation, "relation"));
    }

    /** The number of objects asked for. */
    public int objectCount() {
        return groups.stream().mapToInt(ObjectGroup::count).sum();
    }

    /**
     * Whether {@code scene} is exactly what was asked for: each group's count of its kind, no other
     * object, and the relation between the two objects when there is one.
     */
    public boolean isSatisfiedBy(Scene scene) {
        if (scene.size() != objectCount()) {
            return false;
        }
        for (ObjectGroup g : groups) {
            if (g.countIn(scene) != g.count()) {
                return false;
            }
        }
        // every object belongs to a group: counts match and no object fits two groups (distinct colour+shape)
        return relation == null || relationHolds(scene);
    }

    /** Whether some object of the first group stands in the relation to some object of the second (false without a relation). */
    public boolean relationHolds(Scene scene) {
        if (relation == null) {
            return false;
        }
        ObjectGroup a = groups.get(0);
        ObjectGroup b = groups.get(1);
        for (SceneObject p : scene.matching(a.colour(), a.shape(), a.size())) {
            for (SceneObject q : scene.matching(b.colour(), b.shape(), b.size())) {
                if (relation.holds(p, q)) {
                    return true;
                }
            }
        }
        return false;
    }
}
