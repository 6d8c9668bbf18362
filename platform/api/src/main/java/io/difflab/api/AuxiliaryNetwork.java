package io.difflab.api;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * A network a model family trains besides its estimator (a noise-aware classifier, CLIP, a dVAE,
 * a diffusion prior). The host trains it with the same trainer (own checkpoints, own EMA) and hands
 * it to guidance heads under {@code name} through {@link GuidanceContext#auxiliary(String)}.
 *
 * @param name        the key guidance heads look it up by, e.g. {@code classifier}
 * @param block       the uninitialized network
 * @param inputShapes the shapes to initialize it with (batch dimension 1)
 * @param objective   its loss; batches carry labels when {@code labeled}
 * @param steps       optimizer steps to train it for
 * @param labeled     whether its batches need the dataset's labels
 */
public record AuxiliaryNetwork(String name, Block block, Shape[] inputShapes, TrainingObjective objective,
                               long steps, boolean labeled) { }
