package io.difflab.api;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.function.Consumer;

/**
 * Everything a sampler needs.
 *
 * @param manager      where the result lives; samplers create each step's arrays in a sub-manager
 * @param schedule     the (possibly respaced) schedule to walk from its last step down to 0
 * @param denoiser     the wrapped estimator
 * @param varianceType how Σ is chosen (ignored by deterministic samplers)
 * @param shape        (N, C, H, W)
 * @param condition    labels and extras
 * @param noise        the seeded noise source
 * @param config       the validated {@code sampler} section
 * @param onStep       called after every step
 */
public record SamplingRequest(NDManager manager, DiffusionSchedule schedule, Denoiser denoiser,
                              VarianceType varianceType, Shape shape, Condition condition,
                              NoiseSource noise, Config config, Consumer<SamplingStep> onStep) { }
