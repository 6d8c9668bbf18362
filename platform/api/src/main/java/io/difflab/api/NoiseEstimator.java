package io.difflab.api;

import org.pf4j.ExtensionPoint;

/** Extension point: a network architecture predicting ε (or x_0, v), selected by {@code estimator.name}. */
public interface NoiseEstimator extends ExtensionPoint, Named {

    /**
     * Builds an uninitialized network.
     *
     * @param config the validated {@code estimator} section
     * @param spec   what the model family needs from it
     */
    EstimatorNetwork build(Config config, EstimatorSpec spec);
}
