package io.difflab.kit.train;

import java.util.SplittableRandom;

/**
 * The order in which training images are visited: a fresh permutation each epoch, drawn from
 * (seed, epoch) alone, so the batch of any step is known without replaying earlier steps and a
 * resumed run sees exactly the data an uninterrupted one would.
 */
public final class DataOrder {

    private final int size;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    public DataOrder(int size, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        this.size = size;
        this.seed = seed;
    }

    /** The dataset indices of the batch at 0-based {@code step}. */
    public int[] batch(long step, int batchSize) {
        int[] out = new int[batchSize];
        long start = step * batchSize;
        for (int i = 0; i < batchSize; i++) {
            long position = start + i;
            out[i] = permutation(position / size)[(int) (position % size)];
        }
        return out;
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            int[] p = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = i;
            }
            // Fisher-Yates with a generator seeded by (seed, epoch)
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            cachedPermutation = p;
            cachedEpoch = epoch;
        }
        return cachedPermutation;
    }
}
