package io.difflab.datasets.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places the objects a request asks for. Sizes the caption leaves open are drawn first; then the
 * objects, largest first, one after another: a column uniformly, then a row uniformly among the rows
 * where the object keeps {@link #GAP} from every placed one, all on a grid of
 * 1/{@value #POSITION_STEPS} of the image side (exact in float and double) and {@link #BORDER} inside
 * the image; when an object finds no room the scene starts again. A relation is placed
 * unmistakably: the centres differ by at least the mean of the two radii along the relation's axis,
 * and by more along it than across it. Objects are shuffled at the end, so their order says nothing
 * about the caption.
 */
public final class SceneLayout {

    /** Centres are multiples of 1/POSITION_STEPS. */
    public static final int POSITION_STEPS = 1024;
    /** Free space between two objects' bounding discs: one pixel at 32×32. */
    public static final double GAP = 1.0 / 32;
    /** Free space between an object's bounding disc and the image edge: half a pixel at 32×32. */
    public static final double BORDER = 1.0 / 64;

    private static final int ATTEMPTS_PER_OBJECT = 8;
    private static final int RESTARTS = 10_000;

    private SceneLayout() { }

    /** A scene that {@code request} describes, drawn from {@code rng}. */
    public static Scene place(SceneRequest request, SplittableRandom rng) {
        List<ObjectGroup> kinds = new ArrayList<>();
        List<ObjectSize> sizes = new ArrayList<>();
        for (ObjectGroup g : request.groups()) {
            for (int i = 0; i < g.count(); i++) {
                kinds.add(g);
                sizes.add(g.size() != null ? g.size() : ObjectSize.values()[rng.nextInt(ObjectSize.values().length)]);
            }
        }
        // large objects first: they are the hard ones to fit (a relation's two objects keep their order)
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            order.add(i);
        }
        if (request.relation() == null) {
            order.sort((a, b) -> Double.compare(sizes.get(b).radius(), sizes.get(a).radius()));
        }
        for (int restart = 0; restart < RESTARTS; restart++) {
            List<SceneObject> placed = new ArrayList<>();
            for (int i : order) {
                SceneObject o = placeOne(kinds.get(i), sizes.get(i), placed, request.relation(), rng);
                if (o == null) {
                    break;
                }
                placed.add(o);
            }
            if (placed.size() == kinds.size()) {
                shuffle(placed, rng);
                return new Scene(placed);
            }
        }
        throw new IllegalStateException("no layout found for " + CaptionGrammar.caption(request));
    }

    /**
     * One object of {@code kind} and {@code size} clear of {@code placed} (and, as second of a
     * relation, placed by it), or null: its column is drawn uniformly, then its row uniformly among
     * the rows where it is clear of every placed object (so crowded scenes need few attempts).
     */
    private static SceneObject placeOne(ObjectGroup kind, ObjectSize size, List<SceneObject> placed,
                                        Relation relation, SplittableRandom rng) {
        double margin = size.radius() + BORDER;
        int low = (int) Math.ceil(margin * POSITION_STEPS);
        int high = (int) Math.floor((1 - margin) * POSITION_STEPS);
        for (int attempt = 0; attempt < ATTEMPTS_PER_OBJECT; attempt++) {
            double x = (double) (low + rng.nextInt(high - low + 1)) / POSITION_STEPS;
            int[][] blocked = blockedRows(x, size, placed);
            int free = high - low + 1;
            for (int[] b : blocked) {
                free -= Math.max(0, Math.min(b[1], high) - Math.max(b[0], low) + 1);
            }
            if (free <= 0) {
                continue;
            }
            int row = low + rng.nextInt(free);
            for (int[] b : blocked) { // step over each blocked run at or below the row (runs are disjoint, sorted)
                if (b[0] <= row && b[1] >= low) {
                    row += Math.min(b[1], high) - Math.max(b[0], low) + 1;
                }
            }
            SceneObject o = new SceneObject(kind.shape(), kind.colour(), size, x, (double) row / POSITION_STEPS);
            if (placed.stream().anyMatch(p -> p.overlaps(o, GAP))) {
                throw new IllegalStateException("placed " + o + " over " + placed);
            }
            if (relation != null && placed.size() == 1 && !clearly(relation, placed.get(0), o)) {
                continue;
            }
            return o;
        }
        return null;
    }

    /**
     * The runs of rows [from, to] where an object of {@code size} in column {@code x} would come
     * closer than {@link #GAP} to a placed object, each widened by one row so that rounding never
     * lets an overlap through; merged, disjoint and in ascending order.
     */
    private static int[][] blockedRows(double x, ObjectSize size, List<SceneObject> placed) {
        List<int[]> runs = new ArrayList<>();
        for (SceneObject p : placed) {
            double dx = x - p.x();
            double d = size.radius() + p.size().radius() + GAP;
            if (dx * dx < d * d) {
                double h = Math.sqrt(d * d - dx * dx);
                runs.add(new int[] {(int) Math.floor((p.y() - h) * POSITION_STEPS) - 1,
                        (int) Math.ceil((p.y() + h) * POSITION_STEPS) + 1});
            }
        }
        runs.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : runs) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        return merged.toArray(new int[0][]);
    }

    /** Whether {@code a} is unmistakably in {@code relation} to {@code b}. */
    static boolean clearly(Relation relation, SceneObject a, SceneObject b) {
        double along = relation.horizontal() ? b.x() - a.x() : b.y() - a.y();
        double across = relation.horizontal() ? b.y() - a.y() : b.x() - a.x();
        if (relation == Relation.RIGHT_OF || relation == Relation.BELOW) {
            along = -along;
        }
        return along >= (a.size().radius() + b.size().radius()) / 2 && along > Math.abs(across);
    }

    private static void shuffle(List<SceneObject> objects, SplittableRandom rng) {
        for (int i = objects.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            objects.set(i, objects.set(j, objects.get(i)));
        }
    }
}
