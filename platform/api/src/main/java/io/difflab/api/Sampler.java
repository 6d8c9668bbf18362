package io.difflab.api;

import ai.djl.ndarray.NDArray;
import org.pf4j.ExtensionPoint;

/** Extension point: a reverse-process sampler (ancestral, DDIM, ...), selected by {@code sampler.name}. */
public interface Sampler extends ExtensionPoint, Named {

    /** Runs the reverse process from pure noise and returns x_0 (N,C,H,W), unclipped. */
    NDArray sample(SamplingRequest request);
}
