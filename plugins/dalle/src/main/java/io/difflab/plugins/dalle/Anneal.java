package io.difflab.plugins.dalle;

/**
 * A value that moves from {@code start} to {@code end} over the first {@code steps} training steps
 * along a half cosine and stays at {@code end} afterwards: how DALL-E's dVAE anneals the
 * relaxation temperature (1 → 1/16) and raises the KL weight (0 → β) (Ramesh et al. 2021,
 * App. A.2, which uses cosine schedules). A pure function of the step, so a resumed run anneals
 * exactly as an uninterrupted one.
 *
 * @param start the value at step 0
 * @param end   the value from step {@code steps} on
 * @param steps the length of the annealing; 0 means {@code end} throughout
 */
public record Anneal(double start, double end, long steps) {

    public Anneal {
        if (steps < 0) {
            throw new IllegalArgumentException("annealing steps must be >= 0, got " + steps);
        }
    }

    /** The constant {@code value}. */
    public static Anneal constant(double value) {
        return new Anneal(value, value, 0);
    }

    /** The value at 0-based training step {@code step}: end + (start − end)·(1 + cos(π·min(step, S)/S))/2. */
    public double at(long step) {
        if (steps == 0 || step >= steps) {
            return end;
        }
        double progress = Math.max(0, step) / (double) steps;
        return end + (start - end) * (1 + Math.cos(Math.PI * progress)) / 2;
    }
}
