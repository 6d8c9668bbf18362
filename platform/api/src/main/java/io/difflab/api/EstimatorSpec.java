package io.difflab.api;

/**
 * What the model family asks of a noise estimator.
 *
 * @param imageShape      the shape of x_t
 * @param numClasses      number of class labels the network is conditioned on; 0 for none. A
 *                        conditional network also accepts the null label {@code numClasses}
 * @param learnsVariance  whether it also outputs the variance interpolation v
 *                        (the output then has 2C channels)
 */
public record EstimatorSpec(ImageShape imageShape, int numClasses, boolean learnsVariance) {

    public boolean conditional() {
        return numClasses > 0;
    }

    /** Channels of the network's output: C, or 2C with learned variance. */
    public int outputChannels() {
        return learnsVariance ? 2 * imageShape.channels() : imageShape.channels();
    }
}
