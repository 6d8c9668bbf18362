package io.difflab.kit.train;

/** Seeds derived from (run seed, step) with a SplitMix64 finalizer, so nearby steps get unrelated seeds. */
public final class StepSeeds {

    private StepSeeds() {
    }

    /** A well-mixed 64-bit seed for {@code step} of a run seeded {@code seed}. */
    public static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
