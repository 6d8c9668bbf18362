package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.NoiseSource;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A {@link NoiseSource} whose values are drawn on the host by a {@link SplittableRandom} and
 * copied through the given manager, so one seed gives the same arrays on every device and engine.
 *
 * <p>Call k (counting from 0) draws from its own generator, seeded by the SplitMix64 hash of the
 * seed and k; the state is just (seed, k), 16 bytes, and restoring it is O(1).
 */
public final class SeededNoiseSource implements NoiseSource {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private long calls;

    public SeededNoiseSource(long seed) {
        this.seed = seed;
    }

    @Override
    public synchronized NDArray normal(NDManager manager, Shape shape) {
        SplittableRandom random = next();
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    @Override
    public synchronized NDArray randint(NDManager manager, int high, long n) {
        if (high < 1) {
            throw new IllegalArgumentException("randint needs high >= 1, got " + high);
        }
        SplittableRandom random = next();
        int[] values = new int[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(high);
        }
        return manager.create(values);
    }

    @Override
    public synchronized NDArray uniform(NDManager manager, long n) {
        SplittableRandom random = next();
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return manager.create(values);
    }

    @Override
    public synchronized byte[] state() {
        return ByteBuffer.allocate(16).putLong(seed).putLong(calls).array();
    }

    /** Restores (seed, calls) as saved by {@link #state()}. */
    @Override
    public synchronized void restore(byte[] state) {
        if (state == null || state.length != 16) {
            throw new IllegalArgumentException("a noise source state is 16 bytes, got "
                    + (state == null ? "null" : state.length));
        }
        ByteBuffer buffer = ByteBuffer.wrap(state);
        seed = buffer.getLong();
        calls = buffer.getLong();
    }

    /** The seed. */
    public synchronized long seed() {
        return seed;
    }

    private SplittableRandom next() {
        return new SplittableRandom(mix64(seed + GOLDEN_GAMMA * ++calls));
    }

    /** SplitMix64's output function (Steele, Lea &amp; Flood 2014), a bijective 64-bit hash. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
