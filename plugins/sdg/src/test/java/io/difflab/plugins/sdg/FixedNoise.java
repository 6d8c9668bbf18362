package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.NoiseSource;

/** A noise source whose every normal draw is the same given values: a deterministic ε' for finite differences. */
final class FixedNoise implements NoiseSource {

    private final float[] values;

    FixedNoise(float[] values) {
        this.values = values.clone();
    }

    @Override
    public NDArray normal(NDManager manager, Shape shape) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("fixed noise of " + values.length + " values, asked for " + shape);
        }
        return manager.create(values, shape);
    }

    @Override
    public NDArray randint(NDManager manager, int high, long n) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NDArray uniform(NDManager manager, long n) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] state() {
        return new byte[0];
    }

    @Override
    public void restore(byte[] state) {
    }
}
